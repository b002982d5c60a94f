package vfiowb.wcalias.drivers.mtty;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR0_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR1_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR5_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_INTX_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_MSI_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_IRQS;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_REGIONS;

import vfiowb.common.Models;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.MttyDevice;
import vfiowb.common.hw.PciConfigSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.core.VfioMmap;

/**
 * samples/vfio-mdev/mtty.c as of v6.19, on this series' cookie ops: a PCI serial card with one
 * or two 16550 UARTs behind 8-byte I/O BARs. No mmap. The UARTs are the device model's
 * ({@link MttyDevice.Uart16550}). REGION_INFO hands the core an {@link MttyMmap} for each region
 * with bytes and the core chooses its offset; read and write arrive with that object and the
 * offset inside it, so the sample's own 40-bit layout is gone.
 *
 * <p>The sample does not bound its accesses. A config read reaching past the 255-byte
 * {@code vconfig} is a kernel bug the model reports ({@link KernelBugException}) where the
 * kernel would ({@code memcpy} out of a {@code kzalloc}'d buffer, KASAN slab-out-of-bounds in
 * {@code mdev_access}). The other one of the 40-bit layout, a register access through BAR2 to
 * BAR5, which {@code mdev_access} accepts although {@code mdev_state->s[]} has two ports (UBSAN
 * array-index-out-of-bounds in {@code handle_bar_read} or {@code handle_bar_write}), is no longer
 * reachable: those regions have no bytes, so no cookie, and the core refuses their offsets with
 * -EINVAL (as it does BAR1 of a one-port card, which was in bounds). A BAR access only uses the
 * first
 * byte of each piece (an {@code u8} register), the rest of a 2- or 4-byte read is uninitialised
 * stack in the kernel and zero in the model, as is a read of a BAR offset past the eight
 * registers. Migration, SET_IRQS (-ENOTTY here) and interrupt delivery are not modelled;
 * RESET only defers a migration-state reset, which the model has no state for.
 */
@Models("samples/vfio-mdev/mtty.c")
public final class Mtty {
    /** {@code MTTY_CONFIG_SPACE_SIZE}. */
    private static final int MTTY_CONFIG_SPACE_SIZE = 0xff;
    /** {@code MTTY_IO_BAR_SIZE}. */
    private static final int MTTY_IO_BAR_SIZE = 0x8;
    /** {@code ARRAY_SIZE(mdev_state->s)}: the sample always has room for two ports. */
    private static final int MTTY_SERIAL_PORTS = 2;
    /** {@code UART_LSR} and {@code UART_MSR}: the only registers a write leaves alone. */
    private static final int UART_LSR = 5;
    private static final int UART_MSR = 6;

    private Mtty() {}

    /** {@code mtty_dev_ops}. */
    @Models("samples/vfio-mdev/mtty.c:mtty_dev_ops")
    public static final VfioDeviceOps MTTY_DEV_OPS = VfioDeviceOps.builder("mtty_dev_ops")
            .name("vfio-mtty")
            .ioctl(Mtty::mttyIoctl)
            .getRegionInfoObj(Mtty::mttyIoctlGetRegionInfoObj)
            .readObj(Mtty::mttyReadObj)
            .writeObj(Mtty::mttyWriteObj)
            .closeDevice(Mtty::mttyClose)
            .build();

    /**
     * {@code mtty_probe} with {@code mtty_init_dev}, which sets {@code vdev->nr_regions}: mtty
     * has no {@code open_device}, and its region count never changes, so it is set once before
     * any file can be opened.
     */
    @Models("samples/vfio-mdev/mtty.c:mtty_init_dev")
    public static MttyState mttyProbe(MttyDevice card, Arch arch) {
        MttyState s = new MttyState(MTTY_DEV_OPS, card, arch);
        s.setNrRegions(VFIO_PCI_NUM_REGIONS);
        return s;
    }

    private static MttyState toMtty(VfioDevice vdev) {
        return (MttyState) vdev;
    }

    /** {@code mtty_close}: drop migration files and interrupt eventfds (none in the model). */
    @Models("samples/vfio-mdev/mtty.c:mtty_close")
    public static void mttyClose(VfioDevice vdev) {
    }

    // ---------------------------------------------------------------- config space and BARs

    /**
     * {@code handle_pci_cfg_write}: command and status writes ignored, interrupt line stored, the
     * pin read-only; BAR0/BAR1 keep their I/O type bits and answer an all-ones write with the
     * 8-byte size mask (BAR1 reads 0 on a one-port card); BAR2-4 read 0; anything else dropped.
     * The offset is a {@code u16}.
     */
    @Models("samples/vfio-mdev/mtty.c:handle_pci_cfg_write")
    static void handlePciCfgWrite(MttyState s, int offset, byte[] buf) {
        PciConfigSpace vconfig = s.card().config();
        switch (offset) {
            case 0x04:
            case 0x06:
            case 0x3d:
                break;
            case 0x3c:
                vconfig.set(0x3c, 1, buf[0] & 0xFF);
                break;
            case 0x10:
            case 0x14: {
                int barIndex = offset == 0x10 ? 0 : 1;
                if (s.nrPorts() == 1 && barIndex == 1) {
                    vconfig.set(offset, 4, 0);
                    break;
                }
                if (buf.length < 4) {
                    throw cfgShortWrite(offset, buf.length);
                }
                long cfgAddr = le32(buf);
                if (cfgAddr == 0xFFFF_FFFFL) {
                    cfgAddr &= (~MTTY_IO_BAR_SIZE + 1) & 0xFFFF_FFFFL;
                }
                cfgAddr |= vconfig.read(offset, 1) & 0x3;
                vconfig.set(offset, 4, cfgAddr);
                break;
            }
            case 0x18:
            case 0x1c:
            case 0x20:
                vconfig.set(offset, 4, 0);
                break;
            default:
                break;
        }
    }

    private static long le32(byte[] buf) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    /**
     * {@code *(u32 *)buf} on a piece narrower than 4 bytes: {@code mtty_write} passes each
     * piece as a {@code u8}, {@code u16} or {@code u32} local, so the read runs past it (KASAN
     * stack-out-of-bounds), and the stray stack bytes become the BAR's upper bits.
     */
    private static KernelBugException cfgShortWrite(int offset, int width) {
        return new KernelBugException("samples/vfio-mdev/mtty.c:handle_pci_cfg_write",
                KernelBug.Kind.OUT_OF_BOUNDS, String.format("*(u32 *)buf at config 0x%x reads 4 "
                + "bytes of mtty_write's %d-byte piece, %d past it", offset, width, 4 - width));
    }

    /**
     * {@code mdev_access}: config space (read straight from {@code vconfig}, writes through
     * {@link #handlePciCfgWrite}) or a port's UART registers, chosen by the object's region; the
     * offset inside it is the {@code u16} the handlers take. Any other region fails (none has a
     * cookie: the core refuses those offsets before the sample sees them).
     */
    @Models("samples/vfio-mdev/mtty.c:mdev_access")
    static long mdevAccess(MttyState s, MttyMmap obj, byte[] buf, int count, long offset,
            boolean isWrite) {
        synchronized (s.opsLock) {
            int index = obj.index();
            if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
                if (isWrite) {
                    handlePciCfgWrite(s, u16(offset), buf);
                } else {
                    if (offset + count > MTTY_CONFIG_SPACE_SIZE) {
                        throw new KernelBugException("samples/vfio-mdev/mtty.c:mdev_access",
                                KernelBug.Kind.OUT_OF_BOUNDS, String.format("memcpy of %d "
                                + "bytes from vconfig + 0x%x, past its %d-byte kzalloc: config "
                                + "reads are not bounded by the region size", count, offset,
                                MTTY_CONFIG_SPACE_SIZE));
                    }
                    PciConfigSpace vconfig = s.card().config();
                    for (int i = 0; i < count; i++) {
                        buf[i] = (byte) vconfig.read((int) offset + i, 1);
                    }
                }
            } else if (index >= VFIO_PCI_BAR0_REGION_INDEX && index <= VFIO_PCI_BAR5_REGION_INDEX) {
                if (isWrite) {
                    handleBarWrite(index, s, u16(offset), buf);
                } else {
                    handleBarRead(index, s, u16(offset), buf);
                }
            } else {
                return -1;
            }
            return count;
        }
    }

    /** The handlers' {@code u16 offset} parameter: C truncates the {@code loff_t} passed in. */
    private static int u16(long offset) {
        return (int) (offset & 0xFFFF);
    }

    /**
     * {@code handle_bar_write}: the piece's first byte into UART register {@code offset}. Every
     * register but LSR and MSR touches {@code mdev_state->s[index]}, out of bounds from BAR2 on.
     */
    @Models("samples/vfio-mdev/mtty.c:handle_bar_write")
    static void handleBarWrite(int index, MttyState s, int offset, byte[] buf) {
        if (index >= MTTY_SERIAL_PORTS && offset < MTTY_IO_BAR_SIZE && offset != UART_LSR
                && offset != UART_MSR) {
            throw serialPortOutOfBounds("handle_bar_write", index, offset);
        }
        if (index < s.nrPorts() && offset < MTTY_IO_BAR_SIZE) {
            s.card().port(index).write(offset, buf[0] & 0xFF);
        }
    }

    /**
     * {@code handle_bar_read}: UART register {@code offset} into the piece's first byte. Every
     * register reads {@code mdev_state->s[index]}, out of bounds from BAR2 on.
     */
    @Models("samples/vfio-mdev/mtty.c:handle_bar_read")
    static void handleBarRead(int index, MttyState s, int offset, byte[] buf) {
        if (index >= MTTY_SERIAL_PORTS && offset < MTTY_IO_BAR_SIZE) {
            throw serialPortOutOfBounds("handle_bar_read", index, offset);
        }
        if (index < s.nrPorts() && offset < MTTY_IO_BAR_SIZE) {
            buf[0] = (byte) s.card().port(index).read(offset);
        }
    }

    private static KernelBugException serialPortOutOfBounds(String function, int index,
            int offset) {
        return new KernelBugException("samples/vfio-mdev/mtty.c:" + function,
                KernelBug.Kind.OUT_OF_BOUNDS, String.format("register %d of s[%d], past the %d "
                + "serial ports of struct mdev_state: mdev_access accepts BAR%d although the "
                + "card has no such port", offset, index, MTTY_SERIAL_PORTS, index));
    }

    /**
     * {@code mtty_read_obj} (this series): naturally aligned 4-, 2- and 1-byte pieces of the
     * region behind {@code obj} through {@link #mdevAccess}; a failed piece makes the whole read
     * -EFAULT. Alignment is the offset's inside the region, which the core starts on a page.
     */
    @Models("samples/vfio-mdev/mtty.c:mtty_read_obj")
    public static long mttyReadObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf, long count,
            long off) {
        MttyState s = toMtty(vdev);
        MttyMmap region = (MttyMmap) obj;
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(count, off);
            byte[] val = new byte[filled];
            if (mdevAccess(s, region, val, filled, off, false) <= 0) {
                return -EFAULT;
            }
            if (buf.copyToUser(done, val, 0, filled) != 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            off += filled;
        }
        return done;
    }

    /** {@code mtty_write_obj} (this series): as the read side. */
    @Models("samples/vfio-mdev/mtty.c:mtty_write_obj")
    public static long mttyWriteObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf, long count,
            long off) {
        MttyState s = toMtty(vdev);
        MttyMmap region = (MttyMmap) obj;
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(count, off);
            byte[] val = new byte[filled];
            if (buf.copyFromUser(val, 0, done, filled) != 0) {
                return -EFAULT;
            }
            if (mdevAccess(s, region, val, filled, off, true) <= 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            off += filled;
        }
        return done;
    }

    private static int pieceWidth(long count, long off) {
        if (count >= 4 && off % 4 == 0) {
            return 4;
        }
        if (count >= 2 && off % 2 == 0) {
            return 2;
        }
        return 1;
    }

    // ---------------------------------------------------------------- ioctl

    /**
     * {@code mtty_ioctl_get_region_info_obj} (this series): every index below 9 is answered
     * R/W, even those of size 0; config 0xff bytes, BAR0 8, BAR1 8 on a two-port card. The size
     * is also recorded in {@code region_info[]}. A region with bytes gets an {@link MttyMmap};
     * the offset is the core's, for the empty ones too.
     */
    @Models("samples/vfio-mdev/mtty.c:mtty_ioctl_get_region_info_obj")
    public static int mttyIoctlGetRegionInfoObj(VfioDevice vdev, VfioRegionInfoStruct regionInfo,
            VfioInfoCap caps, VfioMmap[] obj) {
        MttyState s = toMtty(vdev);
        long barIndex = regionInfo.index();
        if (barIndex >= VFIO_PCI_NUM_REGIONS) {
            return -EINVAL;
        }
        synchronized (s.opsLock) {
            long size;
            if (barIndex == VFIO_PCI_CONFIG_REGION_INDEX) {
                size = MTTY_CONFIG_SPACE_SIZE;
            } else if (barIndex == VFIO_PCI_BAR0_REGION_INDEX) {
                size = MTTY_IO_BAR_SIZE;
            } else if (barIndex == VFIO_PCI_BAR1_REGION_INDEX) {
                size = s.nrPorts() == 2 ? MTTY_IO_BAR_SIZE : 0;
            } else {
                size = 0;
            }
            s.regionSize[(int) barIndex] = size;
            regionInfo.setSize(size);
            regionInfo.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE);
            if (size != 0) {
                obj[0] = new MttyMmap(s, (int) barIndex, size);
            }
        }
        return 0;
    }

    /** {@code mtty_ioctl}: GET_INFO, GET_IRQ_INFO, RESET; -ENOTTY otherwise. */
    @Models("samples/vfio-mdev/mtty.c:mtty_ioctl")
    public static long mttyIoctl(VfioDevice vdev, int cmd, UserBuffer arg) {
        MttyState s = toMtty(vdev);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return mttyIoctlGetInfo(s, arg);
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return mttyIoctlGetIrqInfo(s, arg);
            case VfioIoctl.VFIO_DEVICE_RESET:
                return 0;
            default:
                return -ENOTTY;
        }
    }

    /**
     * The GET_INFO case with {@code mtty_get_device_info}: PCI, 9 regions, 5 IRQ indexes; the
     * answer is also stored as {@code mdev_state->dev_info}, which GET_IRQ_INFO checks against.
     */
    @Models("samples/vfio-mdev/mtty.c:mtty_get_device_info")
    static long mttyIoctlGetInfo(MttyState s, UserBuffer arg) {
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

    /**
     * The GET_IRQ_INFO case with {@code mtty_get_irq_info}: the index is checked against the
     * stored {@code dev_info.num_irqs} (so every index is -EINVAL before the first GET_INFO);
     * INTx and MSI only, one vector each.
     */
    @Models("samples/vfio-mdev/mtty.c:mtty_get_irq_info")
    static long mttyIoctlGetIrqInfo(MttyState s, UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz || info.index() >= s.devInfoNumIrqs) {
            return -EINVAL;
        }
        if (info.index() != VFIO_PCI_INTX_IRQ_INDEX && info.index() != VFIO_PCI_MSI_IRQ_INDEX) {
            return -EINVAL;
        }
        long flags = VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD;
        if (info.index() == VFIO_PCI_INTX_IRQ_INDEX) {
            flags |= VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED;
        } else {
            flags |= VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), flags, info.index(), 1);
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }
}
