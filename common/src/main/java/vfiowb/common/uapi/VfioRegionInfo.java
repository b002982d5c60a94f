package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_region_info} (32 bytes), the argument of
 * {@code VFIO_DEVICE_GET_REGION_INFO} (kernel-facts §A.3, §A.4, §E.4).
 *
 * <p>Userspace supplies {@code argsz} (its buffer size) and {@code index}; the kernel fills
 * {@code flags}, {@code size} (bytes; 0 describes an unimplemented region such as an absent BAR)
 * and {@code offset} (the byte offset of the region in the device file, used by pread, pwrite,
 * mmap and ioeventfd). Input {@code flags}, {@code cap_offset}, {@code size} and {@code offset}
 * are read by the core but never validated; drivers overwrite them.
 *
 * <p>Capabilities: when the driver produces any, the core sets {@link #VFIO_REGION_INFO_FLAG_CAPS}.
 * If {@code argsz} is too small for {@code 32 + caps} the ioctl still succeeds: {@code argsz} is
 * raised to the size required and {@code cap_offset} is 0, and userspace is expected to call again
 * with a bigger buffer. Otherwise the chain is copied right after this structure and
 * {@code cap_offset} is 32. Only {@code argsz < 32} fails, with {@code -EINVAL}.
 *
 * <p>No flag beyond bit 3 is defined upstream (v7.1); proposals for bit 4/5 ({@code PREFETCH},
 * {@code REQ_WC}, {@code ALIAS}, {@code WC}) were never merged and are not defined here.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_region_info")
public record VfioRegionInfo(long argsz, long flags, long index, long capOffset, long size, long offset)
        implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_region_info")
        .u32("argsz").u32("flags").u32("index").u32("cap_offset").u64("size").u64("offset").build();
    /** {@code sizeof(struct vfio_region_info)}, also the core's {@code minsz} (offsetofend of {@code offset}). */
    public static final int SIZE = LAYOUT.size();

    public static final int VFIO_REGION_INFO_FLAG_READ = 1 << 0;
    public static final int VFIO_REGION_INFO_FLAG_WRITE = 1 << 1;
    public static final int VFIO_REGION_INFO_FLAG_MMAP = 1 << 2;
    public static final int VFIO_REGION_INFO_FLAG_CAPS = 1 << 3;

    /** {@link RegionCap.Sparse}. */
    public static final int VFIO_REGION_INFO_CAP_SPARSE_MMAP = 1;
    /** {@link RegionCap.Type}. */
    public static final int VFIO_REGION_INFO_CAP_TYPE = 2;
    /** {@link RegionCap.MsixMappable}. */
    public static final int VFIO_REGION_INFO_CAP_MSIX_MAPPABLE = 3;
    /** Deprecated, no longer produced; parsed as {@link RegionCap.Unknown}. */
    public static final int VFIO_REGION_INFO_CAP_NVLINK2_SSATGT = 4;
    /** Deprecated, no longer produced; parsed as {@link RegionCap.Unknown}. */
    public static final int VFIO_REGION_INFO_CAP_NVLINK2_LNKSPD = 5;
    /** {@link RegionCap.Alias}: proposed for the alias-region WC uAPI (issue 14), not merged. */
    public static final int VFIO_REGION_INFO_CAP_ALIAS = 6;

    private static final UapiField ARGSZ = LAYOUT.field("argsz");
    private static final UapiField FLAGS = LAYOUT.field("flags");
    private static final UapiField INDEX = LAYOUT.field("index");
    private static final UapiField CAP_OFFSET = LAYOUT.field("cap_offset");
    private static final UapiField SIZE_FIELD = LAYOUT.field("size");
    private static final UapiField OFFSET = LAYOUT.field("offset");

    private static final String[] FLAG_NAMES = {"READ", "WRITE", "MMAP", "CAPS"};
    private static final long[] FLAG_BITS = {
        VFIO_REGION_INFO_FLAG_READ, VFIO_REGION_INFO_FLAG_WRITE, VFIO_REGION_INFO_FLAG_MMAP,
        VFIO_REGION_INFO_FLAG_CAPS,
    };
    private static final String[] CAP_NAMES = {
        "SPARSE_MMAP", "TYPE", "MSIX_MAPPABLE", "NVLINK2_SSATGT", "NVLINK2_LNKSPD", "ALIAS",
    };

    public VfioRegionInfo {
        Checks.u32("argsz", argsz);
        Checks.u32("flags", flags);
        Checks.u32("index", index);
        Checks.u32("cap_offset", capOffset);
    }

    /**
     * The buffer a client passes: {@code max(argsz, 32)} zeroed bytes with {@code argsz} and
     * {@code index} set. An {@code argsz} below 32 still gets a 32-byte buffer, as a client that
     * declares {@code struct vfio_region_info} on its stack and lies about argsz would have.
     */
    public static byte[] request(long index, int argsz) {
        if (argsz < 0) {
            throw new IllegalArgumentException("argsz " + argsz);
        }
        byte[] buf = new byte[Math.max(argsz, SIZE)];
        new VfioRegionInfo(argsz, 0, index, 0, 0, 0).encodeInto(buf, 0);
        return buf;
    }

    public static VfioRegionInfo decode(byte[] buf, int off) {
        return new VfioRegionInfo(ARGSZ.getU32(buf, off), FLAGS.getU32(buf, off), INDEX.getU32(buf, off),
            CAP_OFFSET.getU32(buf, off), SIZE_FIELD.getU64(buf, off), OFFSET.getU64(buf, off));
    }

    public VfioRegionInfo withArgsz(long v) {
        return new VfioRegionInfo(v, flags, index, capOffset, size, offset);
    }

    public VfioRegionInfo withFlags(long v) {
        return new VfioRegionInfo(argsz, v, index, capOffset, size, offset);
    }

    public VfioRegionInfo withCapOffset(long v) {
        return new VfioRegionInfo(argsz, flags, index, v, size, offset);
    }

    public VfioRegionInfo withSize(long v) {
        return new VfioRegionInfo(argsz, flags, index, capOffset, v, offset);
    }

    public VfioRegionInfo withOffset(long v) {
        return new VfioRegionInfo(argsz, flags, index, capOffset, size, v);
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) == flag;
    }

    /** {@code "READ|WRITE|MMAP"}. */
    public static String flagNames(long flags) {
        return Checks.flags(flags, FLAG_NAMES, FLAG_BITS);
    }

    /** {@code "SPARSE_MMAP"} for 1 and so on; {@code "cap 9"} for an id vfio.h does not define. */
    public static String capName(int id) {
        return id >= 1 && id <= CAP_NAMES.length ? CAP_NAMES[id - 1] : "cap " + id;
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        ARGSZ.putU32(buf, off, argsz);
        FLAGS.putU32(buf, off, flags);
        INDEX.putU32(buf, off, index);
        CAP_OFFSET.putU32(buf, off, capOffset);
        SIZE_FIELD.putU64(buf, off, size);
        OFFSET.putU64(buf, off, offset);
    }
}
