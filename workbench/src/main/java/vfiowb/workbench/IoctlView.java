package vfiowb.workbench;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import vfiowb.common.uapi.MalformedCapChainException;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.workbench.json.Json;

/**
 * ioctl arguments decoded into named fields, as strace prints them, for narration and
 * transcripts. {@code __u32} members are JSON numbers, {@code __u64} members (sizes, offsets)
 * {@code "0x..."} strings; flag words come with their names beside them ({@code flagNames}).
 */
public final class IoctlView {
    private IoctlView() {}

    /**
     * The fields of {@code buf} as the ioctl {@code request} defines its argument; {@code reply}
     * selects the kernel's answer (all fields, capabilities decoded) over the request (the
     * fields userspace sets). An argument the workbench has no codec for is shown as hex bytes.
     */
    public static Json.Obj fields(int request, byte[] buf, boolean reply) {
        if (buf == null) {
            return Json.obj();
        }
        if (request == VfioIoctl.VFIO_DEVICE_GET_INFO && buf.length >= VfioDeviceInfo.SIZE) {
            VfioDeviceInfo d = VfioDeviceInfo.decode(buf, 0);
            if (!reply) {
                return Json.obj().put("argsz", d.argsz());
            }
            return Json.obj().put("argsz", d.argsz()).put("flags", d.flags())
                    .put("flagNames", VfioDeviceInfo.flagNames(d.flags()))
                    .put("num_regions", d.numRegions()).put("num_irqs", d.numIrqs())
                    .put("cap_offset", d.capOffset());
        }
        if (request == VfioIoctl.VFIO_DEVICE_GET_REGION_INFO && buf.length >= VfioRegionInfo.SIZE) {
            VfioRegionInfo r = VfioRegionInfo.decode(buf, 0);
            if (!reply) {
                return Json.obj().put("argsz", r.argsz()).put("index", r.index());
            }
            return regionInfo(buf);
        }
        if (request == VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO && buf.length >= VfioIrqInfo.SIZE) {
            VfioIrqInfo i = VfioIrqInfo.decode(buf, 0);
            if (!reply) {
                return Json.obj().put("argsz", i.argsz()).put("index", i.index());
            }
            return Json.obj().put("argsz", i.argsz()).put("flags", i.flags())
                    .put("flagNames", VfioIrqInfo.flagNames(i.flags())).put("index", i.index())
                    .put("count", i.count());
        }
        return Json.obj().put("bytes", HexFormat.of().formatHex(buf));
    }

    /** A whole REGION_INFO reply, capabilities included when the kernel copied them. */
    public static Json.Obj regionInfo(byte[] buf) {
        VfioRegionInfo r = VfioRegionInfo.decode(buf, 0);
        Json.Obj o = Json.obj().put("argsz", r.argsz()).put("flags", r.flags())
                .put("flagNames", VfioRegionInfo.flagNames(r.flags())).put("index", r.index())
                .put("cap_offset", r.capOffset()).put("size", Json.hex(r.size()))
                .put("offset", Json.hex(r.offset()));
        List<Object> caps = new ArrayList<>();
        try {
            for (RegionCap c : RegionInfoReply.decode(buf).caps()) {
                caps.add(cap(c));
            }
            o.put("caps", caps);
        } catch (MalformedCapChainException e) {
            o.put("caps", caps).put("capError", e.getMessage());
        }
        return o;
    }

    private static Json.Obj cap(RegionCap c) {
        Json.Obj o = Json.obj().put("id", c.id()).put("name", VfioRegionInfo.capName(c.id()))
                .put("version", c.version());
        if (c instanceof RegionCap.Sparse) {
            List<Object> areas = new ArrayList<>();
            for (VfioRegionSparseMmapArea a : ((RegionCap.Sparse) c).areas()) {
                areas.add(Json.obj().put("offset", Json.hex(a.offset())).put("size", Json.hex(a.size())));
            }
            o.put("nr_areas", areas.size()).put("areas", areas);
        } else if (c instanceof RegionCap.Type) {
            RegionCap.Type t = (RegionCap.Type) c;
            o.put("type", t.type()).put("subtype", t.subtype())
                    .put("typeName", VfioRegionType.typeName(t.type()))
                    .put("subtypeName", VfioRegionType.subtypeName(t.type(), t.subtype()));
        }
        return o;
    }

    /** {@code {argsz=32, index=0}}: a field map on one line, flag words by name. */
    public static String text(Map<String, Object> fields) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k.equals("flagNames") || k.equals("typeName") || k.equals("subtypeName")) {
                continue;
            }
            if (k.equals("flags") && fields.get("flagNames") != null) {
                j.add("flags=" + fields.get("flagNames"));
            } else if (k.equals("caps")) {
                List<?> caps = (List<?>) v;
                if (!caps.isEmpty()) {
                    StringJoiner cj = new StringJoiner(", ", "[", "]");
                    for (Object c : caps) {
                        cj.add(capText((Map<?, ?>) c));
                    }
                    j.add("caps=" + cj);
                }
            } else {
                j.add(k + "=" + v);
            }
        }
        return j.toString();
    }

    private static String capText(Map<?, ?> c) {
        String name = String.valueOf(c.get("name"));
        if (c.containsKey("areas")) {
            StringJoiner aj = new StringJoiner(" ");
            for (Object a : (List<?>) c.get("areas")) {
                Map<?, ?> m = (Map<?, ?>) a;
                aj.add(m.get("offset") + "+" + m.get("size"));
            }
            return name + "(" + aj + ")";
        }
        if (c.containsKey("typeName")) {
            return name + "(" + c.get("typeName") + "/" + c.get("subtypeName") + ")";
        }
        return name;
    }

    /** A region's name for people: {@code BAR2}, {@code CONFIG} on PCI devices, else {@code region 3}. */
    public static String regionName(long index, boolean pci) {
        return pci ? VfioIndex.pciRegionName(index) : "region " + index;
    }
}
