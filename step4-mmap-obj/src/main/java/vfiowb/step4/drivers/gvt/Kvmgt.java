package vfiowb.step4.drivers.gvt;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.errno.Errno.EPERM;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR0_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR1_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR2_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR3_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR4_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR5_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_INTX_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_MSI_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_IRQS;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_REGIONS;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_ROM_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_VGA_REGION_INDEX;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.gvt.CfgSpace;
import vfiowb.common.gvt.KvmgtEmulation;
import vfiowb.common.gvt.Vgpu;
import vfiowb.common.hw.Edid;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.hw.OpRegion;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionGfxEdid;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step4.core.VfioDevice;
import vfiowb.step4.core.VfioDeviceOps;
import vfiowb.step4.core.VfioMmap;

/**
 * drivers/gpu/drm/i915/gvt/kvmgt.c as of v6.19 ("vfio/gvt: Convert to get_region_info_caps"),
 * on this series' cookie ops: the VFIO face of a GVT-g vGPU. REGION_INFO hands the core a
 * {@link KvmgtMmap} for each region with bytes (config space, BAR0, the BAR2 aperture, the
 * OpRegion and EDID device regions) and the core chooses its offset; read, write and mmap arrive
 * with the object and the offset inside it, so kvmgt's private copy of the 40-bit layout
 * ({@code VFIO_PCI_OFFSET_SHIFT} in kvmgt.c) is gone.
 *
 * <p>GVT's emulation beneath kvmgt, which the series never touches, is in
 * {@code vfiowb.common.gvt}: the config space ({@link CfgSpace}: GVT's 4 KiB
 * {@code virtual_cfg_space}, set from the host's when the vGPU is created and reset), BAR0's
 * MMIO and GGTT (reduced to storage), the OpRegion registers, the aperture slice behind BAR2
 * ({@link KvmgtEmulation}) and the device-model reset ({@link Vgpu}).
 *
 * <p>Simplifications: an open needs a KVM owned by the opener upstream (-ESRCH without one);
 * the model takes every open to come from such a VMM. The display hotplug on an EDID link
 * change, {@code VFIO_DEVICE_SET_IRQS}, the GFX plane and dma-buf ioctls and
 * {@code dma_unmap} are not modelled (the ioctls answer -ENOTTY).
 */
@Models("drivers/gpu/drm/i915/gvt/kvmgt.c")
public final class Kvmgt {
    /** {@code PCI_BASE_ADDRESS_0}, which {@code gtt_entry()} compares a region index with. */
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    /** {@code PCI_CFG_SPACE_EXP_SIZE}: GVT's {@code device_info.cfg_space_size}. */
    static final int CFG_SPACE_SIZE = 4096;
    /** {@code EDID_SIZE}: one 128-byte EDID block. */
    private static final int EDID_SIZE = 128;
    private Kvmgt() {}

    /** {@code intel_vgpu_dev_ops}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_dev_ops")
    public static final VfioDeviceOps INTEL_VGPU_DEV_OPS = VfioDeviceOps.builder("intel_vgpu_dev_ops")
            .openDevice(Kvmgt::intelVgpuOpenDevice)
            .closeDevice(Kvmgt::intelVgpuCloseDevice)
            .ioctl(Kvmgt::intelVgpuIoctl)
            .getRegionInfoObj(Kvmgt::intelVgpuIoctlGetRegionInfoObj)
            .readObj(Kvmgt::intelVgpuReadObj)
            .writeObj(Kvmgt::intelVgpuWriteObj)
            .mmapObj(Kvmgt::intelVgpuMmapObj)
            .build();

    /**
     * {@code intel_vgpu_probe} and vGPU creation ({@code intel_gvt_create_vgpu}): the config
     * space from the host's, as a primary vGPU ({@code intel_vgpu_init_cfg_space(vgpu, 1)}),
     * then the OpRegion and the port-D EDID registered as device regions 9 and 10
     * ({@code intel_gvt_set_opregion}, {@code intel_gvt_set_edid}).
     */
    @Models({"drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_probe",
            "drivers/gpu/drm/i915/gvt/vgpu.c:intel_gvt_create_vgpu"})
    public static IntelVgpu intelVgpuProbe(KvmgtVgpu hw, Arch arch) {
        IntelVgpu vgpu = new IntelVgpu(INTEL_VGPU_DEV_OPS, hw, arch);
        CfgSpace.intelVgpuInitCfgSpace(vgpu.gvt());
        intelGvtSetOpregion(vgpu);
        intelGvtSetEdid(vgpu);
        return vgpu;
    }

    private static IntelVgpu toVgpu(VfioDevice vdev) {
        return (IntelVgpu) vdev;
    }

    /** {@code intel_vgpu_register_reg}: append a device-specific region. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_register_reg")
    static int intelVgpuRegisterReg(IntelVgpu vgpu, long type, long subtype, IntelVgpu.RegOps ops,
            long size, long flags, Object data) {
        vgpu.region.add(new IntelVgpu.Region(type, subtype, ops, size, flags, data));
        return 0;
    }

    /** {@code intel_gvt_set_opregion}: the vGPU's OpRegion, read-only, vendor type Intel. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_gvt_set_opregion")
    static int intelGvtSetOpregion(IntelVgpu vgpu) {
        return intelVgpuRegisterReg(vgpu, VfioRegionType.pciVendorType(VfioRegionType.PCI_VENDOR_ID_INTEL),
                VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION, INTEL_VGPU_REGOPS_OPREGION,
                OpRegion.size(), VFIO_REGION_INFO_FLAG_READ, vgpu.hw().opRegion());
    }

    /**
     * {@code intel_gvt_set_edid}: a 128-byte region (GFX/EDID) whose registers say the blob is
     * at {@code PAGE_SIZE / 2}, of at most and exactly 128 bytes, at the port's resolution.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_gvt_set_edid")
    static int intelGvtSetEdid(IntelVgpu vgpu) {
        IntelVgpu.EdidRegion base = new IntelVgpu.EdidRegion();
        base.edidOffset = edidBlobOffset(vgpu.arch());
        base.edidMaxSize = EDID_SIZE;
        base.edidSize = EDID_SIZE;
        base.maxXres = vgpu.hw().maxXres();
        base.maxYres = vgpu.hw().maxYres();
        base.edidBlob = vgpu.hw().edidBlob();
        return intelVgpuRegisterReg(vgpu, VfioRegionType.VFIO_REGION_TYPE_GFX,
                VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID, INTEL_VGPU_REGOPS_EDID, EDID_SIZE,
                VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_CAPS,
                base);
    }

    /** {@code EDID_BLOB_OFFSET}: {@code PAGE_SIZE / 2}. */
    static long edidBlobOffset(Arch arch) {
        return arch.pageSize() / 2;
    }

    /**
     * {@code intel_vgpu_open_device}: attach to the guest and activate the vGPU; set
     * {@code vdev->nr_regions} to the PCI indexes and the device regions GVT registered.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_open_device")
    public static int intelVgpuOpenDevice(VfioDevice vdev) {
        IntelVgpu vgpu = toVgpu(vdev);
        vgpu.attached = true;
        vgpu.setNrRegions(VFIO_PCI_NUM_REGIONS + vgpu.numRegions());
        return 0;
    }

    /** {@code intel_vgpu_close_device}: deactivate and detach. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_close_device")
    public static void intelVgpuCloseDevice(VfioDevice vdev) {
        toVgpu(vdev).attached = false;
    }

    // ---------------------------------------------------------------- device-region ops

    /** {@code intel_vgpu_regops_opregion}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_regops_opregion")
    static final IntelVgpu.RegOps INTEL_VGPU_REGOPS_OPREGION = Kvmgt::intelVgpuRegRwOpregion;

    /** {@code intel_vgpu_regops_edid}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_regops_edid")
    static final IntelVgpu.RegOps INTEL_VGPU_REGOPS_EDID = Kvmgt::intelVgpuRegRwEdid;

    /** {@code intel_vgpu_reg_rw_opregion}: reads inside the OpRegion; writes -EINVAL. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_reg_rw_opregion")
    static long intelVgpuRegRwOpregion(IntelVgpu vgpu, IntelVgpu.Region region, byte[] buf,
            int count, long off, boolean iswrite) {
        byte[] base = (byte[]) region.data();
        if (off >= region.size() || iswrite) {
            return -EINVAL;
        }
        int n = (int) Math.min(count, region.size() - off);
        System.arraycopy(base, (int) off, buf, 0, n);
        return n;
    }

    /**
     * {@code intel_vgpu_reg_rw_edid}: below {@code edid_offset} the register block, from it the
     * blob, whose offset is computed from {@code EDID_BLOB_OFFSET} and passed on as a
     * {@code u16} (so blob offsets alias every 64 KiB).
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_reg_rw_edid")
    static long intelVgpuRegRwEdid(IntelVgpu vgpu, IntelVgpu.Region reg, byte[] buf, int count,
            long off, boolean iswrite) {
        IntelVgpu.EdidRegion region = (IntelVgpu.EdidRegion) reg.data();
        if (off < region.edidOffset) {
            return handleEdidRegs(region, buf, count, u16(off), iswrite);
        }
        off -= edidBlobOffset(vgpu.arch());
        return handleEdidBlob(region, buf, count, u16(off), iswrite);
    }

    /** The handlers' {@code u16 offset} parameter: C truncates the value passed in. */
    private static int u16(long offset) {
        return (int) (offset & 0xFFFF);
    }

    /**
     * {@code handle_edid_regs}: 4-byte accesses inside {@code struct vfio_region_gfx_edid}
     * (else -EINVAL). Writes: {@code link_state} UP needs a valid EDID blob (-EINVAL), DOWN is
     * taken, anything else -EINVAL; {@code edid_size} up to {@code edid_max_size}; every other
     * register is read-only (-EPERM).
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:handle_edid_regs")
    static long handleEdidRegs(IntelVgpu.EdidRegion region, byte[] buf, int count, int offset,
            boolean isWrite) {
        final int linkState = VfioRegionGfxEdid.LAYOUT.offsetOf("link_state");
        final int edidSize = VfioRegionGfxEdid.LAYOUT.offsetOf("edid_size");
        if (offset + count > VfioRegionGfxEdid.SIZE) {
            return -EINVAL;
        }
        if (count != 4) {
            return -EINVAL;
        }
        if (isWrite) {
            long data = (buf[0] & 0xFFL) | (buf[1] & 0xFFL) << 8 | (buf[2] & 0xFFL) << 16
                    | (buf[3] & 0xFFL) << 24;
            if (offset == linkState) {
                if (data == VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_UP) {
                    if (!Edid.isValid(region.edidBlob)) {
                        return -EINVAL;
                    }
                } else if (data != VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_DOWN) {
                    return -EINVAL;
                }
                region.linkState = data;
            } else if (offset == edidSize) {
                if (data > region.edidMaxSize) {
                    return -EINVAL;
                }
                region.edidSize = data;
            } else {
                return -EPERM;
            }
        } else {
            byte[] regs = new VfioRegionGfxEdid(region.edidOffset, region.edidMaxSize,
                    region.edidSize, region.maxXres, region.maxYres, region.linkState).encode();
            System.arraycopy(regs, offset, buf, 0, count);
        }
        return count;
    }

    /** {@code handle_edid_blob}: inside the first {@code edid_size} bytes, else -EINVAL. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:handle_edid_blob")
    static long handleEdidBlob(IntelVgpu.EdidRegion region, byte[] buf, int count, int offset,
            boolean isWrite) {
        if (offset + count > region.edidSize) {
            return -EINVAL;
        }
        if (isWrite) {
            System.arraycopy(buf, 0, region.edidBlob, offset, count);
        } else {
            System.arraycopy(region.edidBlob, offset, buf, 0, count);
        }
        return count;
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code intel_vgpu_rw}: dispatch by the object's region. Config space and BAR0 are
     * emulated, BAR2 is the aperture slice, device regions go to their ops; the fixed indexes
     * without bytes have no object, so the core refuses them first. Returns {@code count} when
     * the emulation returned 0.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_rw")
    static long intelVgpuRw(IntelVgpu vgpu, KvmgtMmap obj, byte[] buf, int count, long pos,
            boolean isWrite) {
        long ret;
        switch (obj.index()) {
            case VFIO_PCI_CONFIG_REGION_INDEX:
                ret = isWrite ? CfgSpace.intelVgpuEmulateCfgWrite(vgpu.gvt(), pos, buf, count)
                        : CfgSpace.intelVgpuEmulateCfgRead(vgpu.gvt(), pos, buf, count);
                break;
            case VFIO_PCI_BAR0_REGION_INDEX:
                ret = KvmgtEmulation.intelVgpuBarRw(vgpu.gvt(), pos, buf, count, isWrite);
                break;
            case VFIO_PCI_BAR2_REGION_INDEX:
                ret = KvmgtEmulation.intelVgpuApertureRw(vgpu.gvt(), pos, buf, count, isWrite);
                break;
            default:
                if (obj.region() == null) {
                    return -EINVAL;
                }
                return obj.region().ops().rw(vgpu, obj.region(), buf, count, pos, isWrite);
        }
        return ret == 0 ? count : ret;
    }

    /**
     * {@code gtt_entry}: an 8-byte access is used only for a GGTT entry, recognised by the
     * region index being {@code PCI_BASE_ADDRESS_0}, i.e. 0x10: a comparison of an index with a
     * config offset that no region index below 16 passes, so BAR0's GGTT is read and written in
     * 4-byte halves. The conversion keeps the comparison, with the object's index. The offset
     * range test behind it is not modelled.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:gtt_entry")
    static boolean gttEntry(KvmgtMmap obj) {
        return obj.index() == PCI_BASE_ADDRESS_0;
    }

    /**
     * {@code intel_vgpu_read_obj} (this series): 8-byte GGTT entries, else naturally aligned 4-,
     * 2- and 1-byte pieces of the region behind {@code obj}, each through {@link #intelVgpuRw};
     * any failure of a piece makes the whole read -EFAULT.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_read_obj")
    public static long intelVgpuReadObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf, long count,
            long off) {
        IntelVgpu vgpu = toVgpu(vdev);
        KvmgtMmap region = (KvmgtMmap) obj;
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(region, count, off);
            byte[] val = new byte[filled];
            long ret = intelVgpuRw(vgpu, region, val, filled, off, false);
            if (ret <= 0) {
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

    /** {@code intel_vgpu_write_obj} (this series): as the read side. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_write_obj")
    public static long intelVgpuWriteObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        IntelVgpu vgpu = toVgpu(vdev);
        KvmgtMmap region = (KvmgtMmap) obj;
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(region, count, off);
            byte[] val = new byte[filled];
            if (buf.copyFromUser(val, 0, done, filled) != 0) {
                return -EFAULT;
            }
            long ret = intelVgpuRw(vgpu, region, val, filled, off, true);
            if (ret <= 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            off += filled;
        }
        return done;
    }

    private static int pieceWidth(KvmgtMmap obj, long count, long off) {
        if (count >= 8 && off % 8 == 0 && gttEntry(obj)) {
            return 8;
        }
        if (count >= 4 && off % 4 == 0) {
            return 4;
        }
        if (count >= 2 && off % 2 == 0) {
            return 2;
        }
        return 1;
    }

    // ---------------------------------------------------------------- mmap

    /**
     * {@code intel_vgpu_mmap_obj} (this series), each check -EINVAL in the kernel's order: the
     * object's region at or past ROM, negative VMA, private mapping, any region but BAR2, start
     * outside the vGPU's aperture slice, end past it; the start is the VMA's offset inside the
     * BAR2 object (the core has checked the VMA lies inside the BAR). Then
     * {@code remap_pfn_range} of the host aperture from the object's physical start with
     * {@code vm_page_prot} unchanged ({@code vm_pgoff} is left as it was).
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_mmap_obj")
    public static int intelVgpuMmapObj(VfioDevice vdev, VmArea vma, VfioMmap obj) {
        IntelVgpu vgpu = toVgpu(vdev);
        KvmgtMmap region = (KvmgtMmap) obj;
        Arch arch = vgpu.arch();
        int index = region.index();
        if (index >= VFIO_PCI_ROM_REGION_INDEX) {
            return -EINVAL;
        }
        if (Long.compareUnsigned(vma.vmEnd(), vma.vmStart()) < 0) {
            return -EINVAL;
        }
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -EINVAL;
        }
        if (index != VFIO_PCI_BAR2_REGION_INDEX) {
            return -EINVAL;
        }
        long virtaddr = vma.vmStart();
        long reqSize = vma.vmEnd() - vma.vmStart();
        long pgoff = region.vmaPageOffset(vma);
        long reqStart = region.vmaOffset(vma);

        if (!KvmgtEmulation.intelVgpuInAperture(vgpu.gvt(), reqStart)) {
            return -EINVAL;
        }
        KvmgtVgpu hw = vgpu.hw();
        if (reqStart + reqSize > hw.apertureSliceOffset() + hw.apertureSliceSize()) {
            return -EINVAL;
        }
        long pfn = ((region.physStart() >>> arch.pageShift()) + pgoff) & arch.ulongMax();
        return Memory.remapPfnRange(vma, virtaddr, pfn, reqSize, vma.pageProt());
    }

    // ---------------------------------------------------------------- ioctl

    /** {@code intel_vgpu_ioctl}: GET_INFO, GET_IRQ_INFO, RESET; -ENOTTY otherwise. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_ioctl")
    public static long intelVgpuIoctl(VfioDevice vdev, int cmd, UserBuffer arg) {
        IntelVgpu vgpu = toVgpu(vdev);
        if (cmd == VfioIoctl.VFIO_DEVICE_GET_INFO) {
            return intelVgpuIoctlGetInfo(vgpu, arg);
        } else if (cmd == VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO) {
            return intelVgpuIoctlGetIrqInfo(arg);
        } else if (cmd == VfioIoctl.VFIO_DEVICE_RESET) {
            Vgpu.intelGvtResetVgpu(vgpu.gvt());
            return 0;
        }
        return -ENOTTY;
    }

    /** The GET_INFO case: PCI and RESET, {@code VFIO_PCI_NUM_REGIONS + num_regions}, 5 IRQs. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_ioctl")
    static long intelVgpuIoctlGetInfo(IntelVgpu vgpu, UserBuffer arg) {
        final int minsz = VfioDeviceInfo.LAYOUT.field("num_irqs").end();
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        VfioDeviceInfo out = new VfioDeviceInfo(info.argsz(),
                VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET,
                VFIO_PCI_NUM_REGIONS + vgpu.numRegions(), VFIO_PCI_NUM_IRQS, info.capOffset(),
                info.pad());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** The GET_IRQ_INFO case: INTx (maskable, automasked) and MSI (no resize), one vector each. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_ioctl")
    static long intelVgpuIoctlGetIrqInfo(UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz || info.index() >= VFIO_PCI_NUM_IRQS) {
            return -EINVAL;
        }
        int index = (int) info.index();
        if (index != VFIO_PCI_INTX_IRQ_INDEX && index != VFIO_PCI_MSI_IRQ_INDEX) {
            return -EINVAL;
        }
        long flags = VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD;
        if (index == VFIO_PCI_INTX_IRQ_INDEX) {
            flags |= VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED;
        } else {
            flags |= VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), flags, info.index(), intelVgpuGetIrqCount(index));
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** {@code intel_vgpu_get_irq_count}: 1 for INTx and MSI, else 0. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_get_irq_count")
    static int intelVgpuGetIrqCount(int type) {
        return type == VFIO_PCI_INTX_IRQ_INDEX || type == VFIO_PCI_MSI_IRQ_INDEX ? 1 : 0;
    }

    // ---------------------------------------------------------------- region info

    /**
     * {@code intel_vgpu_ioctl_get_region_info_obj} (this series): config (4 KiB), BAR0 (the MMIO
     * BAR, R/W, not mappable), BAR1 and BAR3-5, ROM and VGA empty, BAR2 the whole host aperture
     * (R/W/MMAP) with a one-area SPARSE_MMAP capability covering only this vGPU's slice, and the
     * device regions with a CAP_TYPE capability; each region with bytes with its
     * {@link KvmgtMmap}. The offsets are the core's.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_ioctl_get_region_info_obj")
    public static int intelVgpuIoctlGetRegionInfoObj(VfioDevice vdev, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        IntelVgpu vgpu = toVgpu(vdev);
        KvmgtVgpu hw = vgpu.hw();
        RegionCap.Sparse sparse = null;
        KvmgtMmap cookie = null;
        long index = info.index();
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            info.setSize(CFG_SPACE_SIZE);
            info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
            cookie = KvmgtMmap.emulated(vgpu, (int) index, CFG_SPACE_SIZE);
        } else if (index == VFIO_PCI_BAR0_REGION_INDEX) {
            info.setSize(hw.mmioBarSize());
            info.setFlags(info.size() == 0 ? 0 : VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
            if (info.size() != 0) {
                cookie = KvmgtMmap.emulated(vgpu, (int) index, info.size());
            }
        } else if (index == VFIO_PCI_BAR2_REGION_INDEX) {
            info.setFlags(VFIO_REGION_INFO_FLAG_CAPS | VFIO_REGION_INFO_FLAG_MMAP
                    | VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
            info.setSize(hw.hostApertureSize());
            sparse = RegionCap.Sparse.of(new VfioRegionSparseMmapArea(
                    vgpu.arch().pageAlign(hw.apertureSliceOffset()), hw.apertureSliceSize()));
            if (info.size() != 0) {
                cookie = KvmgtMmap.aperture(vgpu, (int) index, info.size(),
                        hw.hostApertureStart());
            }
        } else if (index == VFIO_PCI_BAR1_REGION_INDEX
                || (index >= VFIO_PCI_BAR3_REGION_INDEX && index <= VFIO_PCI_BAR5_REGION_INDEX)
                || index == VFIO_PCI_ROM_REGION_INDEX || index == VFIO_PCI_VGA_REGION_INDEX) {
            info.setSize(0);
            info.setFlags(0);
        } else {
            if (index >= VFIO_PCI_NUM_REGIONS + vgpu.numRegions()) {
                return -EINVAL;
            }
            IntelVgpu.Region region = vgpu.region.get((int) (index - VFIO_PCI_NUM_REGIONS));
            info.setSize(region.size());
            info.setFlags(region.flags());
            int ret = VfioInfoCap.vfioInfoAddCapability(caps, RegionCap.Type.of(region.type(),
                    region.subtype()));
            if (ret != 0) {
                return ret;
            }
            if (region.size() != 0) {
                cookie = KvmgtMmap.deviceRegion(vgpu, (int) index, region);
            }
        }
        if ((info.flags() & VFIO_REGION_INFO_FLAG_CAPS) != 0 && sparse != null) {
            int ret = VfioInfoCap.vfioInfoAddCapability(caps, sparse);
            if (ret != 0) {
                return ret;
            }
        }
        obj[0] = cookie;
        return 0;
    }
}
