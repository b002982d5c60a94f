package vfiowb.step4.drivers.virtio;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.EIO;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR0_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.VirtioNetVf;
import vfiowb.common.mm.VmArea;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step4.core.VfioDevice;
import vfiowb.step4.core.VfioMmap;
import vfiowb.step4.pci.VfioPciCore;
import vfiowb.step4.pci.VfioPciCore.RangeIntersection;
import vfiowb.step4.pci.VfioPciRdwr;

/**
 * drivers/vfio/pci/virtio/legacy_io.c as of v6.19: the transitional table's emulated legacy I/O
 * BAR0. A modern virtio-net VF has no BAR0; the driver reports one of
 * {@code bar0_virtual_buf_size} bytes (READ and WRITE, never MMAP), carries BAR0 reads and
 * writes to the PF's legacy admin commands (the queue-notify register instead to the VF's
 * modern notify address), and makes config space look like a transitional device (device ID
 * 0x1000, revision 0, an I/O BAR0, subsystem IDs of a legacy virtio-net). With this series the
 * emulated BAR0 is a cookie of its own ({@link VirtiovfLegacyIoMmap}): read and write dispatch
 * on the object the core resolved, and get the position inside it.
 *
 * <p>Simplifications: {@code vdev->irq_type} is not modelled (SET_IRQS is not), so the layout
 * is always the MSI-X one ({@code VIRTIO_PCI_CONFIG_OFF(true)}, 24), the one the emulated BAR is
 * sized for; then a BAR0 offset is the offset in the device model's legacy register file. The
 * PF's admin commands are calls on {@link VirtioNetVf}. A function reset clears
 * {@code pci_cmd} ({@link #virtiovfLegacyIoResetDone}, reached from the driver's
 * {@code reset_done} hook that {@code pci_try_reset_function} calls), so BAR0 answers -EIO
 * again until the user sets I/O decode. Runtime PM is not modelled.
 */
@Models("drivers/vfio/pci/virtio/legacy_io.c")
public final class VirtioLegacyIo {
    private static final int PCI_DEVICE_ID = 0x02;
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_COMMAND_IO = 0x1;
    private static final int PCI_REVISION_ID = 0x08;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    private static final long PCI_BASE_ADDRESS_SPACE_IO = 0x1;
    private static final int PCI_SUBSYSTEM_VENDOR_ID = 0x2c;
    private static final int PCI_SUBSYSTEM_ID = 0x2e;
    /** {@code VIRTIO_TRANS_ID_NET}: the transitional virtio-net device ID. */
    private static final int VIRTIO_TRANS_ID_NET = 0x1000;
    /** {@code VIRTIO_ID_NET}: the legacy subsystem device ID of a network card. */
    private static final int VIRTIO_ID_NET = 1;
    private static final int PCI_VENDOR_ID_REDHAT_QUMRANET = 0x1af4;
    /** {@code VIRTIO_PCI_QUEUE_NOTIFY}: the legacy queue-notify register. */
    private static final int VIRTIO_PCI_QUEUE_NOTIFY = 16;
    /** {@code offsetofend(struct virtio_net_config, status)}: MAC (6) + status (2). */
    private static final int VIRTIO_NET_CONFIG_STATUS_END = 8;

    private VirtioLegacyIo() {}

    /**
     * {@code VIRTIO_PCI_CONFIG_OFF(msix_enabled)}: where the device config starts, 24 with
     * MSI-X (after the two vector registers), 20 without.
     */
    @Models("include/uapi/linux/virtio_pci.h:VIRTIO_PCI_CONFIG_OFF")
    static int virtioPciConfigOff(boolean msixEnabled) {
        return msixEnabled ? 24 : 20;
    }

    /**
     * {@code virtvdev->core_device.irq_type == VFIO_PCI_MSIX_IRQ_INDEX}: the model has no IRQ
     * state and takes MSI-X as enabled (see the class comment).
     */
    static boolean msixEnabled(VirtiovfPciCoreDevice virtvdev) {
        return true;
    }

    // ---------------------------------------------------------------- init / open

    /**
     * {@code virtiovf_init_legacy_io}: learn the notify location from the PF
     * ({@code virtiovf_read_notify_info}) and size the emulated BAR as
     * {@code VIRTIO_PCI_CONFIG_OFF(true)} + the net config up to {@code status}: 0x20, a power
     * of two as the kernel's BUILD_BUG_ON insists.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_init_legacy_io")
    static int virtiovfInitLegacyIo(VirtiovfPciCoreDevice virtvdev) {
        VirtioNetVf vf = (VirtioNetVf) virtvdev.pdev();
        virtvdev.setNotify(vf.notifyBar(), vf.notifyOffset());
        virtvdev.setBar0VirtualBufSize(virtioPciConfigOff(true) + VIRTIO_NET_CONFIG_STATUS_END);
        return 0;
    }

    /**
     * {@code virtiovf_open_legacy_io}: nothing without legacy I/O; otherwise claim and map the
     * notify BAR ({@code virtiovf_set_notify_addr}).
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_open_legacy_io")
    static int virtiovfOpenLegacyIo(VirtiovfPciCoreDevice virtvdev) {
        if (virtvdev.bar0VirtualBufSize() == 0) {
            return 0;
        }
        return VfioPciCore.vfioPciCoreSetupBarmap(virtvdev, virtvdev.notifyBar());
    }

    /**
     * {@code virtiovf_legacy_io_reset_done}: after a function reset the emulated command
     * register is 0 - I/O decode off - as the reset left the real one.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_legacy_io_reset_done")
    static void virtiovfLegacyIoResetDone(VirtiovfPciCoreDevice virtvdev) {
        virtvdev.setPciCmd(0);
    }

    // ---------------------------------------------------------------- region info

    /**
     * {@code virtiovf_pci_ioctl_get_region_info_obj} (this series), the transitional table's
     * {@code get_region_info_obj}: BAR0 is the emulated legacy BAR, READ and WRITE only, with a
     * {@link VirtiovfLegacyIoMmap} of its size; every other index from vfio-pci-core.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_pci_ioctl_get_region_info_obj")
    public static int virtiovfPciIoctlGetRegionInfoObj(VfioDevice core,
            VfioRegionInfoStruct info, VfioInfoCap caps, VfioMmap[] obj) {
        VirtiovfPciCoreDevice virtvdev = (VirtiovfPciCoreDevice) core;
        if (info.index() != VFIO_PCI_BAR0_REGION_INDEX) {
            return VfioPciCore.vfioPciIoctlGetRegionInfoObj(core, info, caps, obj);
        }
        info.setSize(virtvdev.bar0VirtualBufSize());
        info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
        obj[0] = new VirtiovfLegacyIoMmap(virtvdev, info.size());
        return 0;
    }

    /**
     * {@code virtiovf_pci_mmap_obj} (this series), the transitional table's {@code mmap_obj}:
     * the emulated BAR0 reports no MMAP and has nothing to map, -EINVAL (what
     * {@code vfio_pci_core_mmap} said for it, the VF having no BAR0 to map); every other cookie
     * is vfio-pci-core's.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_pci_mmap_obj")
    public static int virtiovfPciMmapObj(VfioDevice core, VmArea vma, VfioMmap obj) {
        if (obj instanceof VirtiovfLegacyIoMmap) {
            return -EINVAL;
        }
        return VfioPciCore.vfioPciCoreMmapObj(core, vma, obj);
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code virtiovf_pci_core_read_obj} (this series): 0 for an empty read; config space
     * through the transitional emulation; the emulated BAR0's cookie through the legacy
     * emulation; the rest to {@code vfio_pci_core_read_obj}. {@code pos} is the position inside
     * the object.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_pci_core_read_obj")
    public static long virtiovfPciCoreReadObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        VirtiovfPciCoreDevice virtvdev = (VirtiovfPciCoreDevice) core;
        if (count == 0) {
            return 0;
        }
        if (obj.index() == VFIO_PCI_CONFIG_REGION_INDEX) {
            return virtiovfPciReadConfig(core, obj, buf, count, pos);
        }
        if (obj instanceof VirtiovfLegacyIoMmap) {
            return virtiovfPciBar0Rw(virtvdev, pos, buf, count, true);
        }
        return VfioPciCore.vfioPciCoreReadObj(core, obj, buf, count, pos);
    }

    /** {@code virtiovf_pci_core_write_obj}: as {@link #virtiovfPciCoreReadObj} for writes. */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_pci_core_write_obj")
    public static long virtiovfPciCoreWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        VirtiovfPciCoreDevice virtvdev = (VirtiovfPciCoreDevice) core;
        if (count == 0) {
            return 0;
        }
        if (obj.index() == VFIO_PCI_CONFIG_REGION_INDEX) {
            return virtiovfPciWriteConfig(core, obj, buf, count, pos);
        }
        if (obj instanceof VirtiovfLegacyIoMmap) {
            return virtiovfPciBar0Rw(virtvdev, pos, buf, count, false);
        }
        return VfioPciCore.vfioPciCoreWriteObj(core, obj, buf, count, pos);
    }

    /**
     * {@code virtiovf_pci_bar0_rw}: -EIO until the user has set I/O space enable in the
     * (shadow) command register; -EINVAL past the emulated BAR; the queue-notify register takes
     * exactly 2 bytes (else -EINVAL) and goes to the notify address with the memory-enable
     * test; everything else becomes a legacy admin command. Returns the count.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_pci_bar0_rw")
    static long virtiovfPciBar0Rw(VirtiovfPciCoreDevice virtvdev, long pos, UserBuffer buf,
            long count, boolean read) {
        if ((virtvdev.pciCmd() & PCI_COMMAND_IO) == 0) {
            return -EIO;
        }
        if (pos + count > virtvdev.bar0VirtualBufSize()) {
            return -EINVAL;
        }
        long ret;
        if (pos == VIRTIO_PCI_QUEUE_NOTIFY) {
            if (count != 2) {
                return -EINVAL;
            }
            VfioPciRdwr.Io notify = notifyAddr(virtvdev);
            if (read) {
                int v = VfioPciRdwr.vfioPciCoreIoread16(virtvdev, true, notify, 0);
                if (v < 0) {
                    ret = v;
                } else {
                    byte[] b = {(byte) v, (byte) (v >>> 8)};
                    ret = buf.copyToUser(0, b, 0, 2) != 0 ? -EFAULT : 0;
                }
            } else {
                byte[] b = new byte[2];
                if (buf.copyFromUser(b, 0, 0, 2) != 0) {
                    ret = -EFAULT;
                } else {
                    ret = VfioPciRdwr.vfioPciCoreIowrite16(virtvdev, true,
                            (b[0] & 0xff) | (b[1] & 0xff) << 8, notify, 0);
                }
            }
        } else {
            ret = virtiovfIssueLegacyRwCmd(virtvdev, pos, buf, (int) count, read);
        }
        return ret != 0 ? ret : count;
    }

    /**
     * {@code virtvdev->notify_addr}: {@code barmap[notify_bar] + notify_offset}, the VF's modern
     * notify location the legacy queue notify is forwarded to.
     */
    private static VfioPciRdwr.Io notifyAddr(VirtiovfPciCoreDevice virtvdev) {
        PciFunction pdev = virtvdev.pdev();
        int bar = virtvdev.notifyBar();
        long base = virtvdev.notifyOffset();
        return new VfioPciRdwr.Io() {
            @Override
            public long read(long off, int width) {
                return pdev.barRead(bar, base + off, width);
            }

            @Override
            public void write(long off, int width, long value) {
                pdev.barWrite(bar, base + off, width, value);
            }
        };
    }

    /**
     * {@code virtiovf_issue_legacy_rw_cmd}: under {@code bar_mutex}, the common-config admin
     * command below {@code VIRTIO_PCI_CONFIG_OFF}, the device-config one from there on (offset
     * relative to the device config).
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_issue_legacy_rw_cmd")
    static long virtiovfIssueLegacyRwCmd(VirtiovfPciCoreDevice virtvdev, long pos,
            UserBuffer buf, int count, boolean read) {
        boolean msix = msixEnabled(virtvdev);
        boolean common = pos < virtioPciConfigOff(msix);
        long offset = common ? pos : pos - virtioPciConfigOff(msix);
        VirtioNetVf vf = (VirtioNetVf) virtvdev.pdev();
        byte[] bar0Buf = new byte[count];
        synchronized (virtvdev.barMutex()) {
            if (read) {
                if (common) {
                    virtioPciAdminLegacyCommonIoRead(vf, offset, bar0Buf);
                } else {
                    virtioPciAdminLegacyDeviceIoRead(vf, offset, bar0Buf);
                }
                return buf.copyToUser(0, bar0Buf, 0, count) != 0 ? -EFAULT : 0;
            }
            if (buf.copyFromUser(bar0Buf, 0, 0, count) != 0) {
                return -EFAULT;
            }
            if (common) {
                virtioPciAdminLegacyCommonIoWrite(vf, offset, bar0Buf);
            } else {
                virtioPciAdminLegacyDeviceIoWrite(vf, offset, bar0Buf);
            }
            return 0;
        }
    }

    /**
     * The PF's {@code VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ}: the device model's legacy
     * register file starts with the common config.
     */
    @Models("drivers/virtio/virtio_pci_modern.c:virtio_pci_admin_legacy_common_io_read")
    private static void virtioPciAdminLegacyCommonIoRead(VirtioNetVf vf, long offset,
            byte[] dst) {
        legacyRead(vf, offset, dst);
    }

    /** The PF's {@code VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ}: device config after the common. */
    @Models("drivers/virtio/virtio_pci_modern.c:virtio_pci_admin_legacy_device_io_read")
    private static void virtioPciAdminLegacyDeviceIoRead(VirtioNetVf vf, long offset,
            byte[] dst) {
        legacyRead(vf, virtioPciConfigOff(true) + offset, dst);
    }

    /** The PF's {@code VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE}. */
    @Models("drivers/virtio/virtio_pci_modern.c:virtio_pci_admin_legacy_common_io_write")
    private static void virtioPciAdminLegacyCommonIoWrite(VirtioNetVf vf, long offset,
            byte[] src) {
        legacyWrite(vf, offset, src);
    }

    /** The PF's {@code VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_WRITE}. */
    @Models("drivers/virtio/virtio_pci_modern.c:virtio_pci_admin_legacy_device_io_write")
    private static void virtioPciAdminLegacyDeviceIoWrite(VirtioNetVf vf, long offset,
            byte[] src) {
        legacyWrite(vf, virtioPciConfigOff(true) + offset, src);
    }

    /** One register access of the natural width when the count is one, else byte by byte. */
    private static void legacyRead(VirtioNetVf vf, long at, byte[] dst) {
        if (isNaturalWidth(dst.length)) {
            long v = vf.legacyIoRead(at, dst.length);
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (byte) (v >>> (8 * i));
            }
            return;
        }
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (byte) vf.legacyIoRead(at + i, 1);
        }
    }

    private static void legacyWrite(VirtioNetVf vf, long at, byte[] src) {
        if (isNaturalWidth(src.length)) {
            long v = 0;
            for (int i = 0; i < src.length; i++) {
                v |= (src[i] & 0xffL) << (8 * i);
            }
            vf.legacyIoWrite(at, src.length, v);
            return;
        }
        for (int i = 0; i < src.length; i++) {
            vf.legacyIoWrite(at + i, 1, src[i] & 0xff);
        }
    }

    private static boolean isNaturalWidth(int n) {
        return n == 1 || n == 2 || n == 4 || n == 8;
    }

    // ---------------------------------------------------------------- config emulation

    /**
     * {@code virtiovf_pci_read_config}: {@code vfio_pci_core_read_obj} of the config cookie
     * first, then the overlapping bytes of device ID (0x1000), command (I/O enable ORed in once
     * the user set it), revision (0), BAR0 (the written address masked to the emulated size,
     * I/O space), subsystem ID (1, net) and subsystem vendor (0x1af4) are replaced, at
     * {@code pos} inside config space. Returns the count.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_pci_read_config")
    static long virtiovfPciReadConfig(VfioDevice core, VfioMmap obj, UserBuffer buf, long count,
            long pos) {
        VirtiovfPciCoreDevice virtvdev = (VirtiovfPciCoreDevice) core;
        long ret = VfioPciCore.vfioPciCoreReadObj(core, obj, buf, count, pos);
        if (ret < 0) {
            return ret;
        }
        RangeIntersection r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count,
                PCI_DEVICE_ID, 2);
        if (r != null && !overlay(buf, r, VIRTIO_TRANS_ID_NET)) {
            return -EFAULT;
        }
        if ((virtvdev.pciCmd() & PCI_COMMAND_IO) != 0) {
            r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_COMMAND, 2);
            if (r != null) {
                byte[] val16 = new byte[2];
                if (buf.copyFromUser(val16, (int) r.registerOffset(), r.bufOffset(),
                        (int) r.intersectCount()) != 0) {
                    return -EFAULT;
                }
                val16[0] |= PCI_COMMAND_IO;
                if (buf.copyToUser(r.bufOffset(), val16, (int) r.registerOffset(),
                        (int) r.intersectCount()) != 0) {
                    return -EFAULT;
                }
            }
        }
        r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_REVISION_ID, 1);
        if (r != null && !overlay(buf, r, 0)) {
            return -EFAULT;
        }
        r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_BASE_ADDRESS_0, 4);
        if (r != null) {
            long barMask = ~(virtvdev.bar0VirtualBufSize() - 1) & 0xffff_ffffL;
            if (!overlay(buf, r, (virtvdev.pciBaseAddr0() & barMask) | PCI_BASE_ADDRESS_SPACE_IO)) {
                return -EFAULT;
            }
        }
        r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_SUBSYSTEM_ID, 2);
        if (r != null && !overlay(buf, r, VIRTIO_ID_NET)) {
            return -EFAULT;
        }
        r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_SUBSYSTEM_VENDOR_ID, 2);
        if (r != null && !overlay(buf, r, PCI_VENDOR_ID_REDHAT_QUMRANET)) {
            return -EFAULT;
        }
        return count;
    }

    /** Copies the intersecting bytes of the little-endian {@code value} to the user. */
    private static boolean overlay(UserBuffer buf, RangeIntersection r, long value) {
        byte[] le = new byte[8];
        for (int i = 0; i < 8; i++) {
            le[i] = (byte) (value >>> (8 * i));
        }
        return buf.copyToUser(r.bufOffset(), le, (int) r.registerOffset(),
                (int) r.intersectCount()) == 0;
    }

    /**
     * {@code virtiovf_pci_write_config}: the bytes overlapping the command register and BAR0 are
     * also kept in {@code pci_cmd} and {@code pci_base_addr_0}; the whole write then goes to
     * {@code vfio_pci_core_write_obj} at {@code pos} inside config space.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_pci_write_config")
    static long virtiovfPciWriteConfig(VfioDevice core, VfioMmap obj, UserBuffer buf, long count,
            long pos) {
        VirtiovfPciCoreDevice virtvdev = (VirtiovfPciCoreDevice) core;
        RangeIntersection r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count,
                PCI_COMMAND, 2);
        if (r != null) {
            // copy_from_user writes straight into pci_cmd: a fault leaves the bytes it reached
            // and zeros for the rest there before the -EFAULT
            byte[] b = new byte[(int) r.intersectCount()];
            int notCopied = buf.copyFromUser(b, 0, r.bufOffset(), b.length);
            virtvdev.setPciCmd((int) merge(virtvdev.pciCmd(), b, (int) r.registerOffset()));
            if (notCopied != 0) {
                return -EFAULT;
            }
        }
        r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_BASE_ADDRESS_0, 4);
        if (r != null) {
            byte[] b = new byte[(int) r.intersectCount()];
            int notCopied = buf.copyFromUser(b, 0, r.bufOffset(), b.length);
            virtvdev.setPciBaseAddr0(merge(virtvdev.pciBaseAddr0(), b,
                    (int) r.registerOffset()));
            if (notCopied != 0) {
                return -EFAULT;
            }
        }
        return VfioPciCore.vfioPciCoreWriteObj(core, obj, buf, count, pos);
    }

    private static long merge(long reg, byte[] b, int regOff) {
        for (int i = 0; i < b.length; i++) {
            int shift = 8 * (regOff + i);
            reg = (reg & ~(0xffL << shift)) | ((b[i] & 0xffL) << shift);
        }
        return reg;
    }
}
