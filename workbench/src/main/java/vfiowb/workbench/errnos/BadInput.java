package vfiowb.workbench.errnos;

import java.util.List;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/**
 * One class of bad input a process can hand a VFIO device file, and how to hand it: each probe
 * runs on a freshly opened file and answers what the call gave ({@code "EINVAL"}, {@code "ok"}),
 * or {@link #NOT_APPLICABLE} when the device has nothing to aim it at (no region that may be
 * mapped).
 */
public enum BadInput {
    REGION_INFO_ARGSZ("REGION_INFO with argsz 31 (below the 32-byte struct)") {
        @Override
        String probe(Process p, int fd) {
            byte[] b = VfioRegionInfo.request(0, VfioRegionInfo.SIZE);
            LE.putU32(b, 0, VfioRegionInfo.SIZE - 1);
            return ioctl(p, fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
        }
    },
    REGION_INFO_INDEX("REGION_INFO of index 0xffff (no such region)") {
        @Override
        String probe(Process p, int fd) {
            return ioctl(p, fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO,
                    VfioRegionInfo.request(0xffff, VfioRegionInfo.SIZE));
        }
    },
    REGION_INFO_FAULT("REGION_INFO from a 16-byte buffer (copy_from_user faults)") {
        @Override
        String probe(Process p, int fd) {
            byte[] b = new byte[16];
            LE.putU32(b, 0, VfioRegionInfo.SIZE);
            return ioctl(p, fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
        }
    },
    GET_INFO_ARGSZ("GET_INFO with argsz 15 (below minsz)") {
        @Override
        String probe(Process p, int fd) {
            byte[] b = new byte[VfioDeviceInfo.SIZE];
            LE.putU32(b, 0, 15);
            return ioctl(p, fd, VfioIoctl.VFIO_DEVICE_GET_INFO, b);
        }
    },
    IRQ_INFO_INDEX("GET_IRQ_INFO of index 0xffff (no such IRQ index)") {
        @Override
        String probe(Process p, int fd) {
            byte[] b = new byte[VfioIrqInfo.SIZE];
            LE.putU32(b, 0, VfioIrqInfo.SIZE);
            LE.putU32(b, 8, 0xffff);
            return ioctl(p, fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b);
        }
    },
    FEATURE_FLAGS("DEVICE_FEATURE with an undefined flag bit (1 << 20)") {
        @Override
        String probe(Process p, int fd) {
            byte[] b = new byte[VfioDeviceFeature.SIZE];
            new VfioDeviceFeature(VfioDeviceFeature.SIZE, (1L << 20)
                    | VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET).encodeInto(b, 0);
            return ioctl(p, fd, VfioIoctl.VFIO_DEVICE_FEATURE, b);
        }
    },
    UNKNOWN_IOCTL("an unknown ioctl in the VFIO range (';' << 8 | 100 + 60)") {
        @Override
        String probe(Process p, int fd) {
            return ioctl(p, fd, VfioIoctl.VFIO_TYPE << 8 | (VfioIoctl.VFIO_BASE + 60), new byte[64]);
        }
    },
    MMAP_PRIVATE("mmap MAP_PRIVATE of the first page of the first mappable region") {
        @Override
        String probe(Process p, int fd) {
            Target t = firstMappable(p, fd);
            return t == null ? mmap(p, fd, 0, Mman.MAP_PRIVATE, Mman.PROT_READ)
                    : mmap(p, fd, t.offset(), Mman.MAP_PRIVATE, t.prot());
        }
    },
    MMAP_PAST_END("mmap MAP_SHARED of the page just past the first mappable region") {
        @Override
        String probe(Process p, int fd) {
            Target t = firstMappable(p, fd);
            if (t == null) {
                return NOT_APPLICABLE;
            }
            return mmap(p, fd, t.regionOffset() + p.arch().pageAlign(t.size()), Mman.MAP_SHARED,
                    t.prot());
        }
    },
    MMAP_ACROSS_END("mmap MAP_SHARED of the first mappable region's last page and one more") {
        @Override
        String probe(Process p, int fd) {
            Target t = firstMappable(p, fd);
            if (t == null) {
                return NOT_APPLICABLE;
            }
            long page = p.arch().pageSize();
            long last = t.regionOffset() + p.arch().pageAlign(t.size()) - page;
            try {
                Mapping m = p.mmap(0, 2 * page, t.prot(), Mman.MAP_SHARED, fd, last);
                p.munmap(m);
                return "ok";
            } catch (ErrnoException e) {
                return e.errnoName();
            }
        }
    },
    READ_PAST_END("pread of 4 bytes just past region 0's (or the first readable region's) end") {
        @Override
        String probe(Process p, int fd) {
            for (long i = 0; i < 16; i++) {
                RegionInfoReply r = regionInfo(p, fd, i);
                if (r != null && r.info().size() != 0
                        && (r.info().flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ) != 0) {
                    return pread(p, fd, r.info().offset() + r.info().size());
                }
            }
            return NOT_APPLICABLE;
        }
    },
    READ_NO_REGION("pread of 4 bytes at 0x7ff0 << 48 (beyond every layout's last region)") {
        @Override
        String probe(Process p, int fd) {
            return pread(p, fd, 0x7ff0L << 48);
        }
    };

    /** What a probe answers when the device has nothing to aim it at. */
    public static final String NOT_APPLICABLE = "n/a";

    private final String description;

    BadInput(String description) {
        this.description = description;
    }

    /** What the input is, for a table. */
    public String description() {
        return description;
    }

    /** A short stable name ({@code region-info-argsz}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Runs the probe on open file {@code fd} of {@code p}. */
    abstract String probe(Process p, int fd);

    /** The inputs in table order. */
    public static List<BadInput> all() {
        return List.of(values());
    }

    // ------------------------------------------------------------------ helpers

    /** The first region the device says may be mapped, and the first page it may be mapped at. */
    record Target(long regionOffset, long size, long offset, int prot) {}

    static Target firstMappable(Process p, int fd) {
        for (long i = 0; i < 16; i++) {
            RegionInfoReply r = regionInfo(p, fd, i);
            if (r == null) {
                continue;
            }
            VfioRegionInfo info = r.info();
            if ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) == 0 || info.size() == 0) {
                continue;
            }
            long area = r.sparseMmap().filter(c -> !c.areas().isEmpty())
                    .map(c -> c.areas().get(0).offset()).orElse(0L);
            int prot = ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ) != 0
                    ? Mman.PROT_READ : 0)
                    | ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE) != 0
                    ? Mman.PROT_WRITE : 0);
            return new Target(info.offset(), info.size(), info.offset() + area, prot);
        }
        return null;
    }

    static RegionInfoReply regionInfo(Process p, int fd, long index) {
        try {
            byte[] b = VfioRegionInfo.request(index, VfioRegionInfo.SIZE);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            RegionInfoReply r = RegionInfoReply.decode(b);
            if (r.needsLargerBuffer()) {
                b = VfioRegionInfo.request(index, (int) Math.min(r.info().argsz(), 1 << 16));
                p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
                r = RegionInfoReply.decode(b);
            }
            return r;
        } catch (ErrnoException e) {
            return null;
        }
    }

    static String ioctl(Process p, int fd, int request, byte[] arg) {
        try {
            p.ioctl(fd, request, arg);
            return "ok";
        } catch (ErrnoException e) {
            return e.errnoName();
        }
    }

    static String mmap(Process p, int fd, long offset, int flags, int prot) {
        try {
            Mapping m = p.mmap(0, p.arch().pageSize(), prot, flags, fd, offset);
            p.munmap(m);
            return "ok";
        } catch (ErrnoException e) {
            return e.errnoName();
        }
    }

    static String pread(Process p, int fd, long offset) {
        try {
            p.pread(fd, new byte[4], offset);
            return "ok";
        } catch (ErrnoException e) {
            return e.errnoName();
        }
    }
}
