package vfiowb.common.uapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import vfiowb.common.Models;

/**
 * The three write-combining uAPIs of issue 14, each as the variant of stage 5 that implements it
 * names it, with the vfio.h addition it needs ({@link #surface()}), built from the definitions
 * of this package: nothing here is typed twice.
 */
@Models("include/uapi/linux/vfio.h:VFIO_DEVICE_FEATURE")
public enum WcUapi {
    /** Jason Gunthorpe's: a new ioctl mints another immutable cookie of the same region. */
    COOKIE("wc-cookie", "a new ioctl mints another immutable mmap cookie of the region with WC",
            "Jason Gunthorpe"),
    /** Alex Williamson's and Mahmoud Adam's: a DEVICE_FEATURE creates an alias region index. */
    ALIAS("wc-alias", "a DEVICE_FEATURE creates an mmap-only alias region index, described by a "
            + "capability", "Alex Williamson, Mahmoud Adam"),
    /** Matt Evans': a dma-buf of the range, given the WC memory attribute, mmapped. */
    DMABUF("wc-dmabuf", "VFIO_DEVICE_FEATURE_DMA_BUF exports the range; DMA_BUF_MEMATTR sets WC; "
            + "userspace mmaps the dma-buf fd", "Matt Evans");

    /** A constant the addition defines: its vfio.h name, value, kind and status. */
    public record Constant(String name, long value, Kind kind, UapiStatus status) {}

    /** What a {@link Constant} is, for counting. */
    public enum Kind { IOCTL, FEATURE, FLAG, CAPABILITY, VALUE }

    /** One structure the addition defines, with its status. */
    public record Struct(UapiStruct layout, UapiStatus status) {}

    /**
     * The vfio.h addition of one design: its constants and structures, and the header text they
     * make ({@link #header()}), whose lines are what a reviewer reads.
     */
    public record Surface(List<Constant> constants, List<Struct> structs) {
        public Surface {
            constants = List.copyOf(constants);
            structs = List.copyOf(structs);
        }

        /** How many constants of {@code kind}. */
        public int count(Kind kind) {
            return (int) constants.stream().filter(c -> c.kind() == kind).count();
        }

        /** The addition as C: each structure, then each {@code #define}, as vfio.h spells them. */
        public String header() {
            StringBuilder sb = new StringBuilder();
            for (Struct s : structs) {
                sb.append("struct ").append(s.layout().name()).append(" {\n");
                for (UapiField f : s.layout().fields()) {
                    String type = f.cType();
                    String name = f.name();
                    if (type.endsWith("[]")) {
                        type = type.substring(0, type.length() - 2);
                        name = name + "[]";
                    }
                    sb.append('\t').append(type).append('\t').append(name).append(";\n");
                }
                sb.append("};\n");
            }
            for (Constant c : constants) {
                sb.append("#define ").append(c.name()).append('\t').append(value(c)).append('\n');
            }
            return sb.toString();
        }

        /** Lines of {@link #header()}. */
        public int headerLines() {
            return (int) header().lines().count();
        }

        private static String value(Constant c) {
            if (c.kind() == Kind.IOCTL) {
                return "_IO(VFIO_TYPE, VFIO_BASE + " + ((c.value() & 0xff) - VfioIoctl.VFIO_BASE) + ")";
            }
            if (c.kind() == Kind.FLAG && c.value() != 0 && Long.bitCount(c.value()) == 1) {
                return "(1 << " + Long.numberOfTrailingZeros(c.value()) + ")";
            }
            return String.valueOf(c.value());
        }
    }

    private final String variant;
    private final String design;
    private final String proposer;

    WcUapi(String variant, String design, String proposer) {
        this.variant = variant;
        this.design = design;
        this.proposer = proposer;
    }

    /** The name of the stage-5 variant that implements it ({@code wc-cookie}). */
    public String variant() {
        return variant;
    }

    /** One line. */
    public String design() {
        return design;
    }

    /** Who proposed it on the list. */
    public String proposer() {
        return proposer;
    }

    /** The design a variant name stands for; null for another name. */
    public static WcUapi byVariant(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (WcUapi w : values()) {
            if (w.variant.equals(n)) {
                return w;
            }
        }
        return null;
    }

    /** The vfio.h addition this design needs on top of v7.1. */
    public Surface surface() {
        List<Constant> c = new ArrayList<>();
        List<Struct> s = new ArrayList<>();
        switch (this) {
            case COOKIE:
                c.add(new Constant("VFIO_DEVICE_GET_REGION_MMAP", VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP,
                        Kind.IOCTL, UapiStatus.PROPOSED));
                c.add(new Constant("VFIO_REGION_MMAP_FLAG_WC", VfioRegionGetMmap.VFIO_REGION_MMAP_FLAG_WC,
                        Kind.FLAG, UapiStatus.PROPOSED));
                s.add(new Struct(VfioRegionGetMmap.LAYOUT, UapiStatus.PROPOSED));
                break;
            case ALIAS:
                c.add(new Constant("VFIO_DEVICE_FEATURE_ALIAS_REGION",
                        VfioDeviceFeatureAliasRegion.VFIO_DEVICE_FEATURE_ALIAS_REGION, Kind.FEATURE,
                        UapiStatus.PROPOSED));
                c.add(new Constant("VFIO_ALIAS_REGION_FLAG_WC", VfioDeviceFeatureAliasRegion.VFIO_ALIAS_REGION_FLAG_WC,
                        Kind.FLAG, UapiStatus.PROPOSED));
                c.add(new Constant("VFIO_REGION_INFO_CAP_ALIAS", VfioRegionInfo.VFIO_REGION_INFO_CAP_ALIAS,
                        Kind.CAPABILITY, UapiStatus.PROPOSED));
                s.add(new Struct(VfioDeviceFeatureAliasRegion.LAYOUT, UapiStatus.POSTED));
                s.add(new Struct(RegionCap.Alias.LAYOUT, UapiStatus.PROPOSED));
                break;
            default:
                c.add(new Constant("VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR",
                        VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR, Kind.FEATURE,
                        UapiStatus.POSTED));
                c.add(new Constant("VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_NC",
                        VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_NC, Kind.VALUE,
                        UapiStatus.POSTED));
                c.add(new Constant("VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_WC",
                        VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_WC, Kind.VALUE,
                        UapiStatus.POSTED));
                s.add(new Struct(VfioDeviceFeatureDmaBufMemattr.LAYOUT, UapiStatus.POSTED));
                break;
        }
        return new Surface(c, s);
    }
}
