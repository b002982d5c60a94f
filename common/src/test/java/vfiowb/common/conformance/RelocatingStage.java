package vfiowb.common.conformance;

import java.util.List;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PhysicalMemory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * Another stage with every device-file offset moved up by {@code shift} bytes: REGION_INFO
 * reports {@code offset + shift}, and read, write, mmap and ioeventfd take the shift off again
 * before the wrapped stage sees them. What userspace can observe changes only in the raw offset
 * values, which is what a new layout (stage 3's allocator) does; the conformance transcripts of
 * both must be identical.
 */
public final class RelocatingStage implements Stage {
    private static final int REGION_INFO_OFFSET = 24;
    private static final int IOEVENTFD_OFFSET = 8;

    private final Stage inner;
    private final long shift;

    /** {@code shift} must be page aligned on every arch the stage boots (a multiple of 64 KiB). */
    public RelocatingStage(Stage inner, long shift) {
        if ((shift & 0xFFFF) != 0 || shift < 0) {
            throw new IllegalArgumentException("shift must be a non-negative multiple of 64 KiB");
        }
        this.inner = inner;
        this.shift = shift;
    }

    @Override
    public int number() {
        return inner.number();
    }

    @Override
    public String module() {
        return inner.module();
    }

    @Override
    public String title() {
        return inner.title() + " (offsets moved by 0x" + Long.toHexString(shift) + ")";
    }

    @Override
    public List<String> patchSubjects() {
        return inner.patchSubjects();
    }

    @Override
    public String packageRoot() {
        return inner.packageRoot();
    }

    @Override
    public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
        VfioHost host = inner.boot(arch, devices);
        return new VfioHost() {
            @Override
            public Arch arch() {
                return host.arch();
            }

            @Override
            public PhysicalMemory physicalMemory() {
                return host.physicalMemory();
            }

            @Override
            public KernelFile open(String deviceName) {
                return new Moved(host.open(deviceName), arch);
            }

            @Override
            public List<String> deviceNames() {
                return host.deviceNames();
            }

            @Override
            public Device device(String name) {
                return host.device(name);
            }
        };
    }

    private final class Moved implements KernelFile {
        private final KernelFile f;
        private final Arch arch;

        Moved(KernelFile f, Arch arch) {
            this.f = f;
            this.arch = arch;
        }

        @Override
        public long read(UserBuffer buf, long count, long pos) {
            return pos < shift ? below(count) : f.read(buf, count, pos - shift);
        }

        @Override
        public long write(UserBuffer buf, long count, long pos) {
            return pos < shift ? below(count) : f.write(buf, count, pos - shift);
        }

        /** Below every region: no region, EINVAL; but a zero count returns 0 before any lookup. */
        private long below(long count) {
            return count == 0 ? 0 : -Errno.EINVAL;
        }

        @Override
        public long unlockedIoctl(int cmd, UserBuffer arg) {
            byte[] mem = arg.array();
            if (cmd == VfioIoctl.VFIO_DEVICE_IOEVENTFD && mem.length >= IOEVENTFD_OFFSET + 8) {
                long off = LE.getU64(mem, IOEVENTFD_OFFSET);
                LE.putU64(mem, IOEVENTFD_OFFSET, off - shift);
                try {
                    return f.unlockedIoctl(cmd, arg);
                } finally {
                    LE.putU64(mem, IOEVENTFD_OFFSET, off);
                }
            }
            long ret = f.unlockedIoctl(cmd, arg);
            if (cmd == VfioIoctl.VFIO_DEVICE_GET_REGION_INFO && ret == 0
                    && mem.length >= REGION_INFO_OFFSET + 8) {
                LE.putU64(mem, REGION_INFO_OFFSET, LE.getU64(mem, REGION_INFO_OFFSET) + shift);
            }
            return ret;
        }

        /**
         * Below every region there is nothing to map; the wrapped stage says how it refuses a
         * pgoff that names nothing (EINVAL for the 40-bit decoders, ENXIO for a cookie tree), so
         * it is asked with a pgoff far above anything a layout hands out.
         */
        @Override
        public int mmap(VmArea vma) {
            long pages = shift >>> arch.pageShift();
            if (Long.compareUnsigned(vma.vmPgoff(), pages) < 0) {
                vma.setVmPgoff(arch.ulongMax() >>> 1);
                return f.mmap(vma);
            }
            vma.setVmPgoff(vma.vmPgoff() - pages);
            return f.mmap(vma);
        }

        @Override
        public void release() {
            f.release();
        }

        @Override
        public long mmapCookieCount() {
            return f.mmapCookieCount();
        }

        @Override
        public String mmapTreeDump() {
            return f.mmapTreeDump();
        }

        @Override
        public AddressSpace mapping() {
            return f.mapping();
        }

        @Override
        public String name() {
            return f.name();
        }

        @Override
        public boolean fopUnsignedOffset() {
            return f.fopUnsignedOffset();
        }
    }
}
