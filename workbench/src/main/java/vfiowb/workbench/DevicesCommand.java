package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.clients.Probe;
import vfiowb.workbench.json.Json;

/** {@code devices}: the device catalogue, with regions as a stage reports them. */
@Command(name = "devices", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"List the device catalogue (or the devices named): name, driver, ops table, "
                + "description, and the regions (index, size, flags, capabilities) as the chosen "
                + "stage answers VFIO_DEVICE_GET_INFO and VFIO_DEVICE_GET_REGION_INFO.",
            "A device whose ops table the stage does not model is listed without regions."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"stage\", \"arch\", \"devices\": [{\"name\", \"driver\", \"opsTable\", \"description\",",
            "   \"bound\" (the stage has a driver for it), \"error\" (why not, or an open errno),",
            "   \"deviceInfo\": {\"flags\", \"flagNames\", \"num_regions\", \"num_irqs\"},",
            "   \"regions\": [{\"index\", \"name\", \"argsz\", \"flags\", \"flagNames\", \"cap_offset\",",
            "                \"size\" (\"0x..\"), \"offset\" (\"0x..\"), \"caps\": [{\"id\", \"name\", ...}]}",
            "               or {\"index\", \"name\", \"errno\", \"errnoName\"}]}]}"})
final class DevicesCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;
    @Mixin
    Options.TextOrJson format;

    @Override
    public Integer call() {
        Format f = format.get();
        Stage s = stage.single();
        Arch a = arch.resolve();
        List<DeviceSpec> specs = device.isEmpty() ? DeviceCatalogue.on(a) : device.resolve(a);
        List<Object> devices = new ArrayList<>();
        for (DeviceSpec d : specs) {
            devices.add(describe(s, a, d));
        }
        if (f == Format.JSON) {
            out().println(Json.pretty(Json.obj().put("stage", s.number()).put("variant", s.variant()).put("arch", a.cliName())
                    .put("devices", devices)));
            return 0;
        }
        PrintWriter out = out();
        out.println("regions as " + s.label() + " (" + s.module() + ") reports them on "
                + a.cliName());
        for (Object o : devices) {
            Map<?, ?> d = (Map<?, ?>) o;
            out.println();
            out.println(style().bold(String.valueOf(d.get("name"))) + "  " + d.get("driver") + "  "
                    + d.get("opsTable"));
            out.println("    " + d.get("description"));
            if (d.get("error") != null) {
                out.println("    " + style().note(String.valueOf(d.get("error"))));
                continue;
            }
            Map<?, ?> info = (Map<?, ?>) d.get("deviceInfo");
            out.println("    device flags " + info.get("flagNames") + ", " + info.get("num_regions")
                    + " region indexes, " + info.get("num_irqs") + " IRQ indexes");
            int empty = 0;
            for (Object ro : (List<?>) d.get("regions")) {
                Map<?, ?> r = (Map<?, ?>) ro;
                if (r.get("errnoName") != null) {
                    out.printf("    %3s %-10s %s%n", r.get("index"), r.get("name"), r.get("errnoName"));
                    continue;
                }
                if ("0x0".equals(r.get("size")) && ((Long) r.get("flags")) == 0) {
                    empty++;
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) r;
                Json.Obj caps = Json.obj().put("caps", fields.get("caps"));
                String capText = IoctlView.text(caps);
                out.println(String.format("    %3s %-10s size %-14s %-22s%s", r.get("index"), r.get("name"),
                        r.get("size"), r.get("flagNames"),
                        capText.equals("{}") ? "" : " " + capText.substring(1, capText.length() - 1))
                        .stripTrailing());
            }
            if (empty > 0) {
                out.println("        (" + empty + " unimplemented: size 0, no flags)");
            }
        }
        return 0;
    }

    /** One device as the stage reports it. */
    static Json.Obj describe(Stage s, Arch a, DeviceSpec d) {
        Json.Obj o = Json.obj().put("name", d.name()).put("driver", d.driver())
                .put("opsTable", d.opsTable()).put("description", d.description());
        Process p;
        try {
            p = Hosts.process(s, a, d);
        } catch (UserError e) {
            return o.put("bound", false).put("error", s.label() + " models no driver for "
                    + d.opsTable());
        }
        o.put("bound", true);
        int fd;
        try {
            fd = p.open(d.name());
        } catch (ErrnoException e) {
            return o.put("error", "open failed: " + e.errnoName());
        }
        VfioDeviceInfo info = Probe.deviceInfo(p, fd);
        boolean pci = (info.flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) != 0;
        o.put("error", null).put("deviceInfo", Json.obj().put("flags", info.flags())
                .put("flagNames", VfioDeviceInfo.flagNames(info.flags()))
                .put("num_regions", info.numRegions()).put("num_irqs", info.numIrqs()));
        List<Object> regions = new ArrayList<>();
        for (long i = 0; i < info.numRegions(); i++) {
            Json.Obj r = Json.obj().put("index", i).put("name", IoctlView.regionName(i, pci));
            try {
                Json.Obj fields = IoctlView.regionInfo(Probe.regionInfoBytes(p, fd, i, false));
                fields.remove("index");
                r.putAll(fields);
            } catch (ErrnoException e) {
                r.put("errno", e.errno()).put("errnoName", e.errnoName());
            }
            regions.add(r);
        }
        o.put("regions", regions);
        p.exit();
        return o;
    }
}
