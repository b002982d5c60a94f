package vfiowb.common.userspace;

import vfiowb.common.errno.Errno;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;

/**
 * A file on a {@link RamDevice}: offset 0 is the start of the RAM window. Private mappings are
 * refused with EINVAL (after recording the flags the driver saw).
 */
final class RamFile implements KernelFile {
    /** A test ioctl: reads a u32 argsz, refuses argsz < 16, writes a 16-byte reply. */
    static final int IOCTL_INFO = 0x3b6e;

    private final RamDevice dev;

    RamFile(RamDevice dev) {
        this.dev = dev;
        dev.opens.incrementAndGet();
    }

    @Override
    public long read(UserBuffer buf, long count, long pos) {
        if (pos >= dev.size) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min(count, dev.size - pos);
        byte[] tmp = new byte[n];
        for (int i = 0; i < n; i++) {
            tmp[i] = (byte) dev.ram.read(pos + i, 1);
        }
        return buf.copyToUser(0, tmp, 0, n) != 0 ? -Errno.EFAULT : n;
    }

    @Override
    public long write(UserBuffer buf, long count, long pos) {
        if (pos >= dev.size) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min(count, dev.size - pos);
        byte[] tmp = new byte[n];
        if (buf.copyFromUser(tmp, 0, 0, n) != 0) {
            return -Errno.EFAULT;
        }
        for (int i = 0; i < n; i++) {
            dev.ram.write(pos + i, 1, tmp[i]);
        }
        return n;
    }

    @Override
    public long unlockedIoctl(int cmd, UserBuffer arg) {
        if (cmd != IOCTL_INFO) {
            return -Errno.ENOTTY;
        }
        var argsz = arg.getUser(0, 4);
        if (argsz.isEmpty()) {
            return -Errno.EFAULT;
        }
        if (argsz.getAsLong() < 16) {
            return -Errno.EINVAL;
        }
        byte[] reply = new byte[16];
        for (int i = 0; i < 8; i++) {
            reply[4 + i] = (byte) (dev.size >>> (8 * i));
        }
        reply[0] = 16;
        return arg.copyToUser(0, reply, 0, 16) != 0 ? -Errno.EFAULT : 0;
    }

    @Override
    public int mmap(VmArea vma) {
        dev.mmapCalls.incrementAndGet();
        dev.lastMmapFlags = vma.vmFlags();
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -Errno.EINVAL;
        }
        long start = vma.vmPgoff() << dev.arch.pageShift();
        if (start + vma.length() > dev.size || start + vma.length() < start) {
            return -Errno.EINVAL;
        }
        vma.setPrivateData(dev);
        vma.setPageProt(PgProt.UC);
        switch (dev.mode) {
            case LAZY:
                vma.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP, VmFlag.VM_DONTEXPAND,
                        VmFlag.VM_DONTDUMP);
                vma.setVmOps(dev.lazyOps);
                return 0;
            case EAGER:
                return Memory.remapPfnRange(vma, vma.vmStart(), dev.basePfn() + vma.vmPgoff(),
                        vma.length(), vma.pageProt());
            case FAILING:
                int ret = Memory.remapPfnRange(vma, vma.vmStart(), dev.basePfn() + vma.vmPgoff(),
                        vma.length(), vma.pageProt());
                return ret != 0 ? ret : -Errno.ENOMEM;
            default:
                throw new IllegalStateException();
        }
    }

    @Override
    public void release() {
        dev.releases.incrementAndGet();
    }

    @Override
    public AddressSpace mapping() {
        return dev.mapping;
    }

    @Override
    public String name() {
        return "/dev/" + dev.name;
    }
}
