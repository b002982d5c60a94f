package vfiowb.workbench;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vfiowb.common.uapi.UapiCatalogue;
import vfiowb.common.uapi.UapiField;
import vfiowb.common.uapi.UapiStruct;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionGfxEdid;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.workbench.json.Json;

/** {@code uapi}: vfio.h as the model encodes it. */
@Command(name = "uapi", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = "Show include/uapi/linux/vfio.h as the model encodes it: ioctl numbers, "
                + "structure sizes with each member's offset and size, region, device and IRQ "
                + "flags, capability ids, region types and indexes. The same for every stage.",
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"ioctls\": [{\"name\", \"n\" (VFIO_BASE + n), \"request\" (number), \"hex\", \"fd\"}],",
            " \"structs\": [{\"name\", \"size\", \"alignment\",",
            "               \"fields\": [{\"name\", \"offset\", \"size\", \"type\"}]}],",
            " \"constants\": [{\"group\", \"name\", \"value\"}]}",
            "A flexible array member has size 0."})
final class UapiCommand extends AbstractCommand {
    /** Constant groups: a name prefix and the classes that declare them. */
    private static final String[][] GROUPS = {
        {"region flags", "VFIO_REGION_INFO_FLAG_"},
        {"region capability ids", "VFIO_REGION_INFO_CAP_"},
        {"region types", "VFIO_REGION_TYPE_"},
        {"region subtypes", "VFIO_REGION_SUBTYPE_"},
        {"device flags", "VFIO_DEVICE_FLAGS_"},
        {"device-info capability ids", "VFIO_DEVICE_INFO_CAP_"},
        {"PCI AtomicOp completer flags", "VFIO_PCI_ATOMIC_"},
        {"IRQ flags", "VFIO_IRQ_INFO_"},
        {"device features", "VFIO_DEVICE_FEATURE_"},
        {"ioeventfd sizes", "VFIO_DEVICE_IOEVENTFD_"},
        {"GFX link states", "VFIO_DEVICE_GFX_LINK_STATE_"},
        {"vfio-pci region indexes", "VFIO_PCI_.*_REGION_INDEX|VFIO_PCI_NUM_REGIONS"},
        {"vfio-pci IRQ indexes", "VFIO_PCI_.*_IRQ_INDEX|VFIO_PCI_NUM_IRQS"},
        {"vfio-ccw indexes", "VFIO_CCW_"},
        {"vfio-ap IRQ indexes", "VFIO_AP_"},
    };
    private static final Class<?>[] DECLARERS = {VfioRegionInfo.class, VfioRegionType.class,
        VfioDeviceInfo.class, VfioIrqInfo.class, VfioDeviceFeature.class, VfioDeviceIoeventfd.class,
        VfioRegionGfxEdid.class, VfioIndex.class};

    @Mixin
    Options.TextOrJson format;

    @Override
    public Integer call() {
        Format f = format.get();
        List<Object> ioctls = new ArrayList<>();
        for (VfioIoctl.Entry e : VfioIoctl.all()) {
            ioctls.add(Json.obj().put("name", e.name()).put("n", e.n()).put("request", e.request())
                    .put("hex", String.format("0x%04x", e.request()))
                    .put("fd", e.fd().name().toLowerCase(java.util.Locale.ROOT)));
        }
        List<Object> structs = new ArrayList<>();
        for (UapiStruct s : UapiCatalogue.structs()) {
            List<Object> fields = new ArrayList<>();
            for (UapiField fl : s.fields()) {
                fields.add(Json.obj().put("name", fl.name()).put("offset", fl.offset())
                        .put("size", fl.size()).put("type", fl.cType()));
            }
            structs.add(Json.obj().put("name", s.name()).put("size", s.size())
                    .put("alignment", s.alignment()).put("fields", fields));
        }
        Map<String, List<Json.Obj>> constants = constants();
        if (f == Format.JSON) {
            List<Object> cl = new ArrayList<>();
            constants.forEach((g, l) -> l.forEach(c -> cl.add(Json.obj().put("group", g)
                    .put("name", c.get("name")).put("value", c.get("value")))));
            out().println(Json.pretty(Json.obj().put("ioctls", ioctls).put("structs", structs)
                    .put("constants", cl)));
            return 0;
        }
        PrintWriter out = out();
        out.println(style().bold("ioctls") + "  (_IO(VFIO_TYPE ';', VFIO_BASE 100 + n); no size or "
                + "direction encoded: each argument carries its own argsz)");
        for (Object o : ioctls) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.printf("  %-36s %-7s n=%-3s %-6s %s%n", m.get("name"), m.get("hex"), m.get("n"),
                    m.get("request"), m.get("fd"));
        }
        for (UapiStruct s : UapiCatalogue.structs()) {
            out.println();
            out.println(style().bold("struct " + s.name()) + "  size " + s.size() + ", align "
                    + s.alignment());
            for (UapiField fl : s.fields()) {
                out.printf("  %4d  %3d  %-40s %s%n", fl.offset(), fl.size(), fl.cType(), fl.name());
            }
        }
        constants.forEach((g, l) -> {
            out.println();
            out.println(style().bold(g));
            boolean bits = g.contains("flags") || g.contains("sizes");
            for (Json.Obj c : l) {
                long v = (Long) c.get("value");
                out.printf("  %-48s %s%n", c.get("name"), bits || v >= 256
                        ? "0x" + Long.toHexString(v) : String.valueOf(v));
            }
        });
        return 0;
    }

    /** Every public int or long constant of the uAPI classes, grouped by name. */
    static Map<String, List<Json.Obj>> constants() {
        Map<String, List<Json.Obj>> out = new LinkedHashMap<>();
        for (String[] g : GROUPS) {
            out.put(g[0], new ArrayList<>());
        }
        for (Class<?> c : DECLARERS) {
            for (Field fl : c.getFields()) {
                int mod = fl.getModifiers();
                if (!Modifier.isStatic(mod) || !Modifier.isFinal(mod)
                        || !(fl.getType() == int.class || fl.getType() == long.class)) {
                    continue;
                }
                for (String[] g : GROUPS) {
                    if (fl.getName().matches("(" + g[1] + ").*")) {
                        try {
                            long v = ((Number) fl.get(null)).longValue();
                            out.get(g[0]).add(Json.obj().put("name", fl.getName()).put("value", v));
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                        break;
                    }
                }
            }
        }
        out.values().removeIf(List::isEmpty);
        return out;
    }
}
