package vfiowb.step2.drivers.mdpy;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR0_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_IRQS;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_REGIONS;

import java.util.Arrays;
import vfiowb.common.Models;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.MdpyDevice;
import vfiowb.common.hw.PciConfigSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step2.core.VfioDevice;
import vfiowb.step2.core.VfioDeviceOps;

/**
 * samples/vfio-mdev/mdpy.c as of v6.19: a display whose framebuffer is {@code vmalloc} memory
 * mapped with {@code remap_vmalloc_range}. Offsets are the packed ones of {@link MdpyOffsets};
 * region 16 ({@code MDPY_DISPLAY_REGION}) is the framebuffer again, at BAR0's offset.
 *
 * <p>Faithful quirks: a framebuffer read or write through the file lands at the start of the
 * framebuffer whatever its offset (the sample subtracts the BAR offset from {@code pos} and
 * then copies to and from {@code memblk} itself); an access outside config space and the
 * framebuffer fails the whole read or write with -EFAULT; GET_IRQ_INFO checks the index against
 * the {@code dev_info} stored by an earlier GET_INFO and answers count 0 with the caller's
 * flags. Not modelled: {@code VFIO_DEVICE_QUERY_GFX_PLANE} (answers -ENOTTY here).
 */
@Models("samples/vfio-mdev/mdpy.c")
public final class Mdpy {
    /** {@code MDPY_CONFIG_SPACE_SIZE}. */
    private static final int MDPY_CONFIG_SPACE_SIZE = 0xff;
    /** {@code MDPY_DISPLAY_REGION}. */
    private static final int MDPY_DISPLAY_REGION = 16;
    /** {@code PCI_BASE_ADDRESS_0}. */
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    /** {@code PCI_BASE_ADDRESS_MEM_MASK}. */
    private static final long PCI_BASE_ADDRESS_MEM_MASK = ~0x0fL & 0xFFFF_FFFFL;

    private Mdpy() {}

    /** {@code mdpy_dev_ops}. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_dev_ops")
    public static final VfioDeviceOps MDPY_DEV_OPS = VfioDeviceOps.builder("mdpy_dev_ops")
            .read(Mdpy::mdpyRead)
            .write(Mdpy::mdpyWrite)
            .ioctl(Mdpy::mdpyIoctl)
            .getRegionInfoCaps(Mdpy::mdpyIoctlGetRegionInfo)
            .mmap(Mdpy::mdpyMmap)
            .build();

    /** {@code mdpy_probe} with {@code mdpy_init_dev}, which ends with {@code mdpy_reset}. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_init_dev")
    public static MdpyState mdpyProbe(MdpyDevice display, Arch arch) {
        MdpyState s = new MdpyState(MDPY_DEV_OPS, display, arch);
        mdpyReset(s);
        return s;
    }

    private static MdpyState toMdpy(VfioDevice vdev) {
        return (MdpyState) vdev;
    }

    /** {@code mdpy_reset}: a grey gradient, row {@code i} filled with {@code i * 255 / height}. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_reset")
    static int mdpyReset(MdpyState s) {
        MdpyDevice d = s.display();
        int stride = d.stride();
        byte[] row = new byte[stride];
        for (int i = 0; i < d.height(); i++) {
            Arrays.fill(row, (byte) (i * 255 / d.height()));
            d.framebuffer().writeBytes((long) i * stride, row);
        }
        return 0;
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code handle_pci_cfg_write}: only BAR0 is writable; an all-ones write reads back the size
     * mask ({@code ~memsize + 1}), any other value its address bits; the type bits stay.
     */
    @Models("samples/vfio-mdev/mdpy.c:handle_pci_cfg_write")
    static void handlePciCfgWrite(MdpyState s, int offset, byte[] buf) {
        if (offset != PCI_BASE_ADDRESS_0) {
            return;
        }
        PciConfigSpace vconfig = s.display().config();
        if (buf.length < 4) {
            throw cfgShortWrite(offset, buf.length);
        }
        long cfgAddr = le32(buf);
        if (cfgAddr == 0xFFFF_FFFFL) {
            cfgAddr &= (~s.memsize() + 1) & 0xFFFF_FFFFL;
        } else {
            cfgAddr &= PCI_BASE_ADDRESS_MEM_MASK;
        }
        cfgAddr |= vconfig.read(offset, 1) & ~PCI_BASE_ADDRESS_MEM_MASK & 0xFF;
        vconfig.set(offset, 4, cfgAddr);
    }

    /**
     * {@code *(u32 *)buf} on a piece narrower than 4 bytes: {@code mdpy_write} passes each
     * piece as a {@code u8}, {@code u16} or {@code u32} local, so the read runs past it (KASAN
     * stack-out-of-bounds), and the stray stack bytes become the BAR's upper bits.
     */
    private static KernelBugException cfgShortWrite(int offset, int width) {
        return new KernelBugException("samples/vfio-mdev/mdpy.c:handle_pci_cfg_write",
                KernelBug.Kind.OUT_OF_BOUNDS, String.format("*(u32 *)buf at config 0x%x reads 4 "
                + "bytes of mdpy_write's %d-byte piece, %d past it", offset, width, 4 - width));
    }

    private static long le32(byte[] buf) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    /**
     * {@code mdev_access}: below 0xff config space, from {@code MDPY_MEMORY_BAR_OFFSET} the
     * framebuffer (at its start, see the class comment), anything else -1.
     */
    @Models("samples/vfio-mdev/mdpy.c:mdev_access")
    static long mdevAccess(MdpyState s, byte[] buf, int count, long pos, boolean isWrite) {
        long barOffset = MdpyOffsets.memoryBarOffset(s.arch());
        synchronized (s.opsLock) {
            if (pos < MDPY_CONFIG_SPACE_SIZE) {
                if (isWrite) {
                    handlePciCfgWrite(s, (int) pos, buf);
                } else {
                    PciConfigSpace vconfig = s.display().config();
                    for (int i = 0; i < count; i++) {
                        buf[i] = (byte) vconfig.read((int) pos + i, 1);
                    }
                }
            } else if (pos >= barOffset && pos + count <= barOffset + s.memsize()) {
                if (isWrite) {
                    s.display().framebuffer().writeBytes(0, buf, 0, count);
                } else {
                    s.display().framebuffer().readBytes(0, buf, 0, count);
                }
            } else {
                return -1;
            }
            return count;
        }
    }

    /** {@code mdpy_read}: 4-, 2- and 1-byte pieces; a failed piece makes it all -EFAULT. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_read")
    public static long mdpyRead(VfioDevice vdev, UserBuffer buf, long count, long ppos) {
        MdpyState s = toMdpy(vdev);
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(count, ppos);
            byte[] val = new byte[filled];
            if (mdevAccess(s, val, filled, ppos, false) <= 0) {
                return -EFAULT;
            }
            if (buf.copyToUser(done, val, 0, filled) != 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            ppos += filled;
        }
        return done;
    }

    /** {@code mdpy_write}: as the read side. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_write")
    public static long mdpyWrite(VfioDevice vdev, UserBuffer buf, long count, long ppos) {
        MdpyState s = toMdpy(vdev);
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(count, ppos);
            byte[] val = new byte[filled];
            if (buf.copyFromUser(val, 0, done, filled) != 0) {
                return -EFAULT;
            }
            if (mdevAccess(s, val, filled, ppos, true) <= 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            ppos += filled;
        }
        return done;
    }

    private static int pieceWidth(long count, long ppos) {
        if (count >= 4 && ppos % 4 == 0) {
            return 4;
        }
        if (count >= 2 && ppos % 2 == 0) {
            return 2;
        }
        return 1;
    }

    // ---------------------------------------------------------------- mmap

    /**
     * {@code mdpy_mmap}: only at {@code vm_pgoff} exactly one page, not longer than the
     * framebuffer, shared (each -EINVAL); then {@code remap_vmalloc_range} of the whole VMA
     * from the framebuffer's start: page-backed PTEs installed at once, protection unchanged.
     */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_mmap")
    public static int mdpyMmap(VfioDevice vdev, VmArea vma) {
        MdpyState s = toMdpy(vdev);
        Arch arch = s.arch();
        if (vma.vmPgoff() != MdpyOffsets.memoryBarPgoff(arch)) {
            return -EINVAL;
        }
        if (Long.compareUnsigned(vma.vmEnd(), vma.vmStart()) < 0) {
            return -EINVAL;
        }
        if (Long.compareUnsigned(vma.vmEnd() - vma.vmStart(), s.memsize()) > 0) {
            return -EINVAL;
        }
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -EINVAL;
        }
        return Memory.remapVmallocRange(vma, s.display().framebufferStart(), s.memsize(), 0);
    }

    // ---------------------------------------------------------------- ioctl

    /**
     * {@code mdpy_ioctl_get_region_info}: indexes from 9 other than 16 are -EINVAL; config at 0
     * (0xff bytes, R/W); BAR0 and region 16 at {@code MDPY_MEMORY_BAR_OFFSET} (R/W/MMAP,
     * {@code memsize}); every other fixed index empty at offset 0.
     */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_ioctl_get_region_info")
    public static int mdpyIoctlGetRegionInfo(VfioDevice vdev, VfioRegionInfoStruct regionInfo,
            VfioInfoCap caps) {
        MdpyState s = toMdpy(vdev);
        long index = regionInfo.index();
        if (index >= VFIO_PCI_NUM_REGIONS && index != MDPY_DISPLAY_REGION) {
            return -EINVAL;
        }
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            regionInfo.setOffset(0);
            regionInfo.setSize(MDPY_CONFIG_SPACE_SIZE);
            regionInfo.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE);
        } else if (index == VFIO_PCI_BAR0_REGION_INDEX || index == MDPY_DISPLAY_REGION) {
            regionInfo.setOffset(MdpyOffsets.memoryBarOffset(s.arch()));
            regionInfo.setSize(s.memsize());
            regionInfo.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE | VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP);
        } else {
            regionInfo.setSize(0);
            regionInfo.setOffset(0);
            regionInfo.setFlags(0);
        }
        return 0;
    }

    /** {@code mdpy_ioctl}: GET_INFO, GET_IRQ_INFO, SET_IRQS (-EINVAL), RESET; else -ENOTTY. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_ioctl")
    public static long mdpyIoctl(VfioDevice vdev, int cmd, UserBuffer arg) {
        MdpyState s = toMdpy(vdev);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return mdpyIoctlGetInfo(s, arg);
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return mdpyIoctlGetIrqInfo(s, arg);
            case VfioIoctl.VFIO_DEVICE_SET_IRQS:
                return -EINVAL;
            case VfioIoctl.VFIO_DEVICE_RESET:
                return mdpyReset(s);
            default:
                return -ENOTTY;
        }
    }

    /**
     * The GET_INFO case with {@code mdpy_get_device_info}: PCI, {@code VFIO_PCI_NUM_REGIONS}
     * regions (region 16 is not counted), 5 IRQ indexes; stored as {@code dev_info}.
     */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_get_device_info")
    static long mdpyIoctlGetInfo(MdpyState s, UserBuffer arg) {
        final int minsz = VfioDeviceInfo.LAYOUT.field("num_irqs").end();
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        VfioDeviceInfo out = new VfioDeviceInfo(info.argsz(), VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI,
                VFIO_PCI_NUM_REGIONS, VFIO_PCI_NUM_IRQS, info.capOffset(), info.pad());
        s.devInfoNumIrqs = out.numIrqs();
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** The GET_IRQ_INFO case with {@code mdpy_get_irq_info}: count 0, flags as passed in. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_get_irq_info")
    static long mdpyIoctlGetIrqInfo(MdpyState s, UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz || info.index() >= s.devInfoNumIrqs) {
            return -EINVAL;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), info.flags(), info.index(), 0);
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }
}
