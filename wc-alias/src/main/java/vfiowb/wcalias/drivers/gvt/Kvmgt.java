package vfiowb.wcalias.drivers.gvt;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.errno.Errno.EPERM;
import static vfiowb.common.errno.Errno.ESRCH;
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
import vfiowb.common.NotModelledException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
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
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.core.VfioMmap;

/**
 * drivers/gpu/drm/i915/gvt/kvmgt.c as of v6.19 ("vfio/gvt: Convert to get_region_info_caps"),
 * on this series' cookie ops: the VFIO face of a GVT-g vGPU. REGION_INFO hands the core a
 * {@link KvmgtMmap} for each region with bytes (config space, BAR0, the BAR2 aperture, the
 * OpRegion and EDID device regions) and the core chooses its offset; read, write and mmap arrive
 * with the object and the offset inside it, so kvmgt's private copy of the 40-bit layout
 * ({@code VFIO_PCI_OFFSET_SHIFT} in kvmgt.c) is gone.
 *
 * <p>Simplifications: an open needs a KVM owned by the opener upstream (-ESRCH without one);
 * the model takes every open to come from such a VMM. GVT's MMIO emulation keeps its checks
 * but is reduced to storage: BAR0 reads and writes reach {@code vgpu->mmio.vreg} (the first
 * 2 MiB, GVT's MMIO size) or the GGTT (from 8 MiB to the end of the BAR) without any register
 * handler. Config space is GVT's 4 KiB {@code virtual_cfg_space}, set from the host's
 * ({@code gvt->firmware.cfg_space}) when the vGPU is created and reset
 * ({@code intel_vgpu_init_cfg_space}) and written as {@code intel_vgpu_emulate_cfg_write}
 * writes it. The display
 * hotplug on an EDID link change,
 * {@code VFIO_DEVICE_SET_IRQS}, the GFX plane and dma-buf ioctls and {@code dma_unmap} are not
 * modelled (the ioctls answer -ENOTTY).
 */
@Models("drivers/gpu/drm/i915/gvt/kvmgt.c")
public final class Kvmgt {
    /** {@code PCI_BASE_ADDRESS_0}, which {@code gtt_entry()} compares a region index with. */
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    /** {@code PCI_CFG_SPACE_EXP_SIZE}: GVT's {@code device_info.cfg_space_size}. */
    static final int CFG_SPACE_SIZE = 4096;
    /** {@code device_info.mmio_size}: 2 MiB of MMIO registers at the start of BAR0. */
    private static final long MMIO_SIZE = 2L << 20;
    /** {@code device_info.gtt_start_offset}: the GGTT from 8 MiB into BAR0. */
    private static final long GTT_START_OFFSET = 8L << 20;
    /** {@code EDID_SIZE}: one 128-byte EDID block. */
    private static final int EDID_SIZE = 128;
    /** pci_regs.h offsets GVT's config emulation handles. */
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_STATUS = 0x06;
    private static final int PCI_CACHE_LINE_SIZE = 0x0c;
    private static final int PCI_BASE_ADDRESS_1 = 0x14;
    private static final int PCI_BASE_ADDRESS_2 = 0x18;
    private static final int PCI_BASE_ADDRESS_3 = 0x1c;
    private static final int PCI_BASE_ADDRESS_4 = 0x20;
    private static final int PCI_BASE_ADDRESS_5 = 0x24;
    private static final int PCI_CARDBUS_CIS = 0x28;
    private static final int PCI_ROM_ADDRESS = 0x30;
    private static final int PCI_INTERRUPT_LINE = 0x3c;
    /** {@code PCI_ROM_ADDRESS_MASK}: {@code ~0x7ff}, the ROM BAR's address bits. */
    private static final long PCI_ROM_ADDRESS_MASK = 0xFFFF_F800L;
    /** {@code INTEL_GVT_PCI_SWSCI} (gvt/reg.h): the software SCI request register. */
    private static final int INTEL_GVT_PCI_SWSCI = 0xe8;
    /** {@code INTEL_GVT_PCI_OPREGION} (gvt/reg.h): the OpRegion base address register. */
    private static final int INTEL_GVT_PCI_OPREGION = 0xfc;
    /** {@code PCI_COMMAND_IO}, {@code PCI_COMMAND_MEMORY}, {@code PCI_COMMAND_MASTER}. */
    private static final int PCI_COMMAND_IO = 0x1;
    private static final int PCI_COMMAND_MEMORY = 0x2;
    private static final int PCI_COMMAND_MASTER = 0x4;
    /** {@code INTEL_GVT_PCI_GMCH_CONTROL} (gvt/reg.h): the graphics control register. */
    private static final int INTEL_GVT_PCI_GMCH_CONTROL = 0x50;
    /**
     * {@code BDW_GMCH_GMS_SHIFT}, {@code BDW_GMCH_GMS_MASK}: the stolen memory size, the high
     * byte of the 16-bit GMCH control register.
     */
    private static final int BDW_GMCH_GMS_SHIFT = 8;
    private static final int BDW_GMCH_GMS_MASK = 0xff;
    /** {@code INTEL_GVT_OPREGION_SCIC} (gvt/reg.h): the SCIC word in the OpRegion. */
    private static final long INTEL_GVT_OPREGION_SCIC = 0x200;

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
        intelVgpuInitCfgSpace(vgpu);
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
                ret = isWrite ? intelVgpuEmulateCfgWrite(vgpu, pos, buf, count)
                        : intelVgpuEmulateCfgRead(vgpu, pos, buf, count);
                break;
            case VFIO_PCI_BAR0_REGION_INDEX:
                ret = intelVgpuBarRw(vgpu, pos, buf, count, isWrite);
                break;
            case VFIO_PCI_BAR2_REGION_INDEX:
                ret = intelVgpuApertureRw(vgpu, pos, buf, count, isWrite);
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
     * {@code intel_vgpu_emulate_cfg_read}: at most 4 bytes inside the 4 KiB config space
     * (each refusal a {@code drm_WARN_ON} and -EINVAL), copied from {@code virtual_cfg_space}.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:intel_vgpu_emulate_cfg_read")
    static int intelVgpuEmulateCfgRead(IntelVgpu vgpu, long offset, byte[] buf, int bytes) {
        if (bytes > 4 || offset + bytes > CFG_SPACE_SIZE) {
            return -EINVAL;
        }
        for (int i = 0; i < bytes; i++) {
            buf[i] = (byte) vgpu.cfgByte((int) offset + i);
        }
        return 0;
    }

    /**
     * {@code intel_vgpu_emulate_cfg_write}, its cases in the kernel's order, each refusal a
     * {@code drm_WARN_ON} and -EINVAL (which {@code intel_vgpu_write} turns into -EFAULT): more
     * than 4 bytes, or past the 4 KiB; {@code PCI_COMMAND} at offset 4 with more than 2 bytes,
     * else {@code emulate_pci_command_write}; then by {@code rounddown(offset, 4)}: the ROM BAR
     * and BAR0-5 (0x10-0x27), {@code INTEL_GVT_PCI_SWSCI} (0xe8) and
     * {@code INTEL_GVT_PCI_OPREGION} (0xfc) only at their aligned offset; anything else
     * {@code vgpu_pci_cfg_mem_write}. The BAR, ROM, SWSCI and OpRegion cases read their value
     * as a {@code u32} from {@code p_data} whatever {@code bytes} is: a 1- or 2-byte write
     * there reads past the caller's {@code u8}/{@code u16} ({@link #cfgWriteValue}).
     *
     * <p>Not modelled: the BARs' {@code tracked} flags ({@code trap_gttmmio},
     * {@code map_aperture}; nothing in the model traps guest addresses) and the PM control
     * register's {@code d3_entered} (the model's config image has no PM capability, so
     * {@code pmcsr_off} is 0).
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:intel_vgpu_emulate_cfg_write")
    static int intelVgpuEmulateCfgWrite(IntelVgpu vgpu, long offset, byte[] buf, int bytes) {
        if (bytes > 4 || offset + bytes > CFG_SPACE_SIZE) {
            return -EINVAL;
        }
        int off = (int) offset;
        if (off == PCI_COMMAND) {
            if (bytes > 2) {
                return -EINVAL;
            }
            return emulatePciCommandWrite(vgpu, off, buf, bytes);
        }
        int dword = off & ~3;
        if (dword == PCI_ROM_ADDRESS) {
            if (off != dword) {
                return -EINVAL;
            }
            return emulatePciRomBarWrite(vgpu, off, buf, bytes);
        } else if (dword >= PCI_BASE_ADDRESS_0 && dword <= PCI_BASE_ADDRESS_5) {
            if (off != dword) {
                return -EINVAL;
            }
            emulatePciBarWrite(vgpu, off, buf, bytes);
        } else if (dword == INTEL_GVT_PCI_SWSCI) {
            if (off != dword) {
                return -EINVAL;
            }
            int ret = intelVgpuEmulateOpregionRequest(vgpu,
                    cfgWriteValue("intel_vgpu_emulate_cfg_write", off, buf, bytes));
            if (ret != 0) {
                return ret;
            }
        } else if (dword == INTEL_GVT_PCI_OPREGION) {
            if (off != dword) {
                return -EINVAL;
            }
            int ret = intelVgpuOpregionBaseWriteHandler(vgpu,
                    cfgWriteValue("intel_vgpu_emulate_cfg_write", off, buf, bytes));
            if (ret != 0) {
                return ret;
            }
            vgpuPciCfgMemWrite(vgpu, off, buf, bytes);
        } else {
            vgpuPciCfgMemWrite(vgpu, off, buf, bytes);
        }
        return 0;
    }

    /**
     * {@code *(u32 *)p_data}: the four bytes at the value {@code intel_vgpu_write} passed, which
     * for a 1- or 2-byte write is a {@code u8} or {@code u16} on its stack. The kernel reads the
     * bytes after it (KASAN: stack-out-of-bounds in {@code function}); the model reports that.
     */
    private static long cfgWriteValue(String function, int offset, byte[] buf, int bytes) {
        if (bytes < 4) {
            throw new KernelBugException("drivers/gpu/drm/i915/gvt/cfg_space.c:" + function,
                    KernelBug.Kind.OUT_OF_BOUNDS, String.format("a %d-byte config write at 0x%x "
                            + "is read as a u32 from intel_vgpu_write's %d-byte stack value",
                            bytes, offset, bytes));
        }
        return (buf[0] & 0xFFL) | (buf[1] & 0xFFL) << 8 | (buf[2] & 0xFFL) << 16
                | (buf[3] & 0xFFL) << 24;
    }

    /**
     * {@code pci_cfg_space_rw_bmp}: the writable bits of each byte below
     * {@code PCI_INTERRUPT_LINE + 4}: the command register, the RW1C high byte of the status
     * register, cache line size, BAR0-5, the ROM BAR's enable and address bits, the interrupt
     * line. Every other byte there is read-only.
     */
    private static final byte[] PCI_CFG_SPACE_RW_BMP = pciCfgSpaceRwBmp();

    private static byte[] pciCfgSpaceRwBmp() {
        byte[] b = new byte[PCI_INTERRUPT_LINE + 4];
        b[PCI_COMMAND] = (byte) 0xff;
        b[PCI_COMMAND + 1] = 0x07;
        b[PCI_STATUS + 1] = (byte) 0xf9;
        b[PCI_CACHE_LINE_SIZE] = (byte) 0xff;
        for (int i = PCI_BASE_ADDRESS_0; i < PCI_CARDBUS_CIS; i++) {
            b[i] = (byte) 0xff;
        }
        b[PCI_ROM_ADDRESS] = 0x01;
        b[PCI_ROM_ADDRESS + 1] = (byte) 0xf8;
        b[PCI_ROM_ADDRESS + 2] = (byte) 0xff;
        b[PCI_ROM_ADDRESS + 3] = (byte) 0xff;
        b[PCI_INTERRUPT_LINE] = (byte) 0xff;
        return b;
    }

    /**
     * {@code vgpu_pci_cfg_mem_write}: below {@code PCI_INTERRUPT_LINE + 4} each byte through
     * {@link #PCI_CFG_SPACE_RW_BMP} (the status register's high byte write-one-to-clear);
     * from there on the bytes are copied as written, capability structures and the extended
     * config space alike.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:vgpu_pci_cfg_mem_write")
    static void vgpuPciCfgMemWrite(IntelVgpu vgpu, int off, byte[] src, int bytes) {
        int i = 0;
        for (; i < bytes && off + i < PCI_CFG_SPACE_RW_BMP.length; i++) {
            int mask = PCI_CFG_SPACE_RW_BMP[off + i] & 0xFF;
            int old = vgpu.cfgByte(off + i);
            int val = src[i] & mask;
            if (off + i == PCI_STATUS + 1) {
                val = ~val & old & mask;
            }
            vgpu.setCfgByte(off + i, (old & ~mask) | val);
        }
        for (; i < bytes; i++) {
            vgpu.setCfgByte(off + i, src[i]);
        }
    }

    /**
     * {@code emulate_pci_command_write}: the masked write; a change of the MEMORY bit would
     * (un)trap BAR0 and (un)map the aperture, which the model does not track.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:emulate_pci_command_write")
    static int emulatePciCommandWrite(IntelVgpu vgpu, int offset, byte[] buf, int bytes) {
        vgpuPciCfgMemWrite(vgpu, offset, buf, bytes);
        return 0;
    }

    /**
     * {@code emulate_pci_rom_bar_write}: the all-ones address mask (sizing) reads back 0, the
     * whole register cleared: the vGPU has no ROM; any other value a masked write.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:emulate_pci_rom_bar_write")
    static int emulatePciRomBarWrite(IntelVgpu vgpu, int offset, byte[] buf, int bytes) {
        long val = cfgWriteValue("emulate_pci_rom_bar_write", offset, buf, bytes);
        if ((val & PCI_ROM_ADDRESS_MASK) == PCI_ROM_ADDRESS_MASK) {
            for (int i = 0; i < 4; i++) {
                vgpu.setCfgByte(offset + i, 0);
            }
        } else {
            vgpuPciCfgMemWrite(vgpu, offset, buf, bytes);
        }
        return 0;
    }

    /**
     * {@code emulate_pci_bar_write}: all ones sizes the BAR: BAR0/1 read back the host's
     * GTTMMADR size, BAR2/3 its aperture size ({@code ~(size - 1)}, the high dword for the odd
     * register), the unimplemented BAR4/5 0. Any other value is stored as the BAR
     * ({@link #intelVgpuWritePciBar}). The write always lands as a whole dword.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:emulate_pci_bar_write")
    static void emulatePciBarWrite(IntelVgpu vgpu, int offset, byte[] buf, int bytes) {
        long val = cfgWriteValue("emulate_pci_bar_write", offset, buf, bytes);
        boolean lo = offset % 8 == 0;
        if (val == 0xFFFF_FFFFL) {
            long size;
            switch (offset) {
                case PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_0 + 4:
                    size = ~(vgpu.hw().mmioBarSize() - 1);
                    intelVgpuWritePciBar(vgpu, offset, size >>> (lo ? 0 : 32), lo);
                    break;
                case PCI_BASE_ADDRESS_2, PCI_BASE_ADDRESS_2 + 4:
                    size = ~(vgpu.hw().hostApertureSize() - 1);
                    intelVgpuWritePciBar(vgpu, offset, size >>> (lo ? 0 : 32), lo);
                    break;
                default:
                    intelVgpuWritePciBar(vgpu, offset, 0, false);
                    break;
            }
        } else {
            intelVgpuWritePciBar(vgpu, offset, val, lo);
        }
    }

    /**
     * {@code intel_vgpu_write_pci_bar} (gvt.h): the dword at {@code rounddown(offset, 4)}; for
     * the low dword of a BAR only bits 31:4, the type bits kept.
     */
    @Models("drivers/gpu/drm/i915/gvt/gvt.h:intel_vgpu_write_pci_bar")
    static void intelVgpuWritePciBar(IntelVgpu vgpu, int offset, long val, boolean low) {
        int reg = offset & ~3;
        long v = val & 0xFFFF_FFFFL;
        if (low) {
            v = (v & 0xFFFF_FFF0L) | (vgpu.cfgByte(reg) & 0xF);
        }
        for (int i = 0; i < 4; i++) {
            vgpu.setCfgByte(reg + i, (int) (v >>> (8 * i)));
        }
    }

    /**
     * {@code intel_vgpu_reset_cfg_space}: the whole config space back to its value at creation
     * ({@code intel_vgpu_init_cfg_space}). Untrapping BAR0 and unmapping the aperture when
     * memory decode was on is not modelled (nothing tracks them); {@code primary} is always
     * true, as the vGPU is created primary and the class byte it is read from is read-only
     * ({@link #PCI_CFG_SPACE_RW_BMP}).
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:intel_vgpu_reset_cfg_space")
    static void intelVgpuResetCfgSpace(IntelVgpu vgpu) {
        intelVgpuInitCfgSpace(vgpu);
    }

    /**
     * {@code intel_vgpu_init_cfg_space} for a primary vGPU: the host's 4 KiB
     * ({@code gvt->firmware.cfg_space}), then no stolen memory in the GMCH control register,
     * BAR2 at the host aperture's address ({@code u32}: bits 31:4, the type bits kept), IO,
     * memory and bus-master decode off, BAR1, BAR3, BAR4-5, the OpRegion address and the ROM
     * BAR zero. The BAR sizes it records are the host's, which {@link #emulatePciBarWrite}
     * reads; the PM control offset stays 0 (the model's image has no PM capability).
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:intel_vgpu_init_cfg_space")
    static void intelVgpuInitCfgSpace(IntelVgpu vgpu) {
        byte[] firmware = vgpu.hw().firmwareCfgSpace();
        for (int i = 0; i < CFG_SPACE_SIZE; i++) {
            vgpu.setCfgByte(i, firmware[i]);
        }
        int gms = INTEL_GVT_PCI_GMCH_CONTROL + BDW_GMCH_GMS_SHIFT / Byte.SIZE;
        vgpu.setCfgByte(gms, vgpu.cfgByte(gms) & ~BDW_GMCH_GMS_MASK);
        intelVgpuWritePciBar(vgpu, PCI_BASE_ADDRESS_2, vgpu.hw().hostApertureStart(), true);
        vgpu.setCfgByte(PCI_COMMAND, vgpu.cfgByte(PCI_COMMAND)
                & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
        cfgMemset(vgpu, PCI_BASE_ADDRESS_1, 4);
        cfgMemset(vgpu, PCI_BASE_ADDRESS_3, 4);
        cfgMemset(vgpu, PCI_BASE_ADDRESS_4, 8);
        cfgMemset(vgpu, INTEL_GVT_PCI_OPREGION, 4);
        cfgMemset(vgpu, PCI_ROM_ADDRESS, 4);
    }

    /** {@code memset(vgpu_cfg_space(vgpu) + offset, 0, len)}. */
    private static void cfgMemset(IntelVgpu vgpu, int offset, int len) {
        for (int i = 0; i < len; i++) {
            vgpu.setCfgByte(offset + i, 0);
        }
    }

    /**
     * {@code intel_vgpu_emulate_opregion_request} (opregion.c): first reads the guest's SCIC
     * word at {@code gfn[0] << PAGE_SHIFT + INTEL_GVT_OPREGION_SCIC} through
     * {@link #intelGvtReadGpa}, returning its error. The model has no guest memory behind the
     * vGPU, so that read always fails and the SCIC/PARM handshake after it is never reached.
     */
    @Models("drivers/gpu/drm/i915/gvt/opregion.c:intel_vgpu_emulate_opregion_request")
    static int intelVgpuEmulateOpregionRequest(IntelVgpu vgpu, long swsci) {
        long scicPa = (vgpu.opregionGfn << vgpu.arch().pageShift()) + INTEL_GVT_OPREGION_SCIC;
        int ret = intelGvtReadGpa(vgpu, scicPa, 4);
        if (ret == 0) {
            throw new NotModelledException("the OpRegion SCIC/PARM handshake (swsci 0x"
                    + Long.toHexString(swsci) + ")");
        }
        return ret;
    }

    /**
     * {@code intel_vgpu_opregion_base_write_handler} (opregion.c): the guest's OpRegion pages
     * start at the written address; always 0.
     */
    @Models("drivers/gpu/drm/i915/gvt/opregion.c:intel_vgpu_opregion_base_write_handler")
    static int intelVgpuOpregionBaseWriteHandler(IntelVgpu vgpu, long gpa) {
        vgpu.opregionGfn = gpa >>> vgpu.arch().pageShift();
        return 0;
    }

    /**
     * {@code intel_gvt_read_gpa} / {@code intel_gvt_write_gpa} (gvt.h): -ESRCH unless the vGPU
     * is attached, else {@code vfio_dma_rw} of guest memory through the device's IOMMU
     * mappings. The model maps no IOVA for any device (there is no VFIO_IOMMU_MAP_DMA), so the
     * type1 container finds no {@code vfio_dma} there: -EINVAL.
     */
    @Models({"drivers/gpu/drm/i915/gvt/gvt.h:intel_gvt_read_gpa",
            "drivers/vfio/vfio_main.c:vfio_dma_rw"})
    static int intelGvtReadGpa(IntelVgpu vgpu, long gpa, int len) {
        if (!vgpu.attached) {
            return -ESRCH;
        }
        return -EINVAL;
    }

    /**
     * {@code intel_vgpu_bar_rw}: BAR0's guest address plus {@code off}, which
     * {@code intel_vgpu_gpa_to_mmio_offset} takes away again into an {@code int}, so the
     * emulation sees {@code off} truncated to 32 bits.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_bar_rw")
    static int intelVgpuBarRw(IntelVgpu vgpu, long off, byte[] buf, int count, boolean isWrite) {
        long offset = off & 0xFFFF_FFFFL;
        return isWrite ? intelVgpuEmulateMmioWrite(vgpu, offset, buf, count)
                : intelVgpuEmulateMmioRead(vgpu, offset, buf, count);
    }

    /** {@code reg_is_mmio} (mmio.c): below {@code device_info.mmio_size}. */
    private static boolean regIsMmio(long reg) {
        return reg >= 0 && reg < MMIO_SIZE;
    }

    /** {@code reg_is_gtt} (mmio.c): inside the GGTT, from 8 MiB to the end of BAR0. */
    private static boolean regIsGtt(IntelVgpu vgpu, long reg) {
        return reg >= GTT_START_OFFSET && reg < vgpu.hw().mmioBarSize();
    }

    /**
     * {@code intel_vgpu_emulate_mmio_read}: a GGTT access must be 4-byte aligned, 4 or 8 bytes
     * wide and end inside the GGTT ({@code intel_vgpu_emulate_ggtt_mmio_read} and
     * {@code emulate_ggtt_mmio_read} check the width again); outside MMIO and GGTT the address
     * is guest memory ({@code drm_WARN_ON_ONCE}, {@link #intelGvtReadGpa}); an MMIO access must
     * end inside MMIO and be naturally aligned. Each refusal is a {@code drm_WARN_ON} and
     * -EINVAL. The registers are storage: no handler runs, every register is taken to be
     * without {@code F_UNALIGN}, and a GGTT entry outside the vGPU's graphics memory reads as
     * stored (the kernel reads 0 there).
     */
    @Models({"drivers/gpu/drm/i915/gvt/mmio.c:intel_vgpu_emulate_mmio_read",
            "drivers/gpu/drm/i915/gvt/gtt.c:intel_vgpu_emulate_ggtt_mmio_read"})
    static int intelVgpuEmulateMmioRead(IntelVgpu vgpu, long offset, byte[] buf, int bytes) {
        if (bytes > 8) {
            return -EINVAL;
        }
        if (regIsGtt(vgpu, offset)) {
            if (offset % 4 != 0 || (bytes != 4 && bytes != 8) || !regIsGtt(vgpu, offset + bytes - 1)) {
                return -EINVAL;
            }
            vgpu.vreg().readBytes(offset, buf, 0, bytes);
            return 0;
        }
        if (!regIsMmio(offset)) {
            return intelGvtReadGpa(vgpu, offset, bytes);
        }
        if (!regIsMmio(offset + bytes - 1) || offset % bytes != 0) {
            return -EINVAL;
        }
        vgpu.vreg().readBytes(offset, buf, 0, bytes);
        return 0;
    }

    /**
     * {@code intel_vgpu_emulate_mmio_write}: the GGTT checks of the read side
     * ({@code intel_vgpu_emulate_ggtt_mmio_write}, {@code emulate_ggtt_mmio_write}); guest
     * memory outside MMIO and GGTT ({@code intel_gvt_write_gpa}); an MMIO write is not checked
     * further. Storage as on the read side (a GGTT entry outside the vGPU's graphics memory
     * is stored, where the kernel drops it).
     */
    @Models({"drivers/gpu/drm/i915/gvt/mmio.c:intel_vgpu_emulate_mmio_write",
            "drivers/gpu/drm/i915/gvt/gtt.c:intel_vgpu_emulate_ggtt_mmio_write"})
    static int intelVgpuEmulateMmioWrite(IntelVgpu vgpu, long offset, byte[] buf, int bytes) {
        if (bytes > 8) {
            return -EINVAL;
        }
        if (regIsGtt(vgpu, offset)) {
            if (offset % 4 != 0 || (bytes != 4 && bytes != 8) || !regIsGtt(vgpu, offset + bytes - 1)) {
                return -EINVAL;
            }
            vgpu.vreg().writeBytes(offset, buf, 0, bytes);
            return 0;
        }
        if (!regIsMmio(offset)) {
            return intelGvtReadGpa(vgpu, offset, bytes);
        }
        vgpu.vreg().writeBytes(offset, buf, 0, bytes);
        return 0;
    }

    /** {@code intel_vgpu_in_aperture}: inside this vGPU's slice of the host aperture. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_in_aperture")
    static boolean intelVgpuInAperture(IntelVgpu vgpu, long off) {
        KvmgtVgpu hw = vgpu.hw();
        return off >= hw.apertureSliceOffset()
                && off < hw.apertureSliceOffset() + hw.apertureSliceSize();
    }

    /**
     * {@code intel_vgpu_aperture_rw}: both {@code off} and {@code off + count} must be inside
     * the slice, so the slice's last bytes cannot be reached (-EINVAL); then a WC mapping of the
     * host aperture.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_aperture_rw")
    static int intelVgpuApertureRw(IntelVgpu vgpu, long off, byte[] buf, int count, boolean isWrite) {
        if (!intelVgpuInAperture(vgpu, off) || !intelVgpuInAperture(vgpu, off + count)) {
            return -EINVAL;
        }
        if (isWrite) {
            vgpu.hw().aperture().writeBytes(off, buf, 0, count);
        } else {
            vgpu.hw().aperture().readBytes(off, buf, 0, count);
        }
        return 0;
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

        if (!intelVgpuInAperture(vgpu, reqStart)) {
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
            intelGvtResetVgpu(vgpu);
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

    /**
     * {@code intel_gvt_reset_vgpu}: {@code intel_gvt_reset_vgpu_locked(vgpu, true, 0)}, a device
     * model level reset: the GGTT and the MMIO registers back to their initial (zero) state
     * ({@code intel_vgpu_reset_ggtt}, {@code intel_vgpu_reset_mmio}), then the config space
     * ({@code intel_vgpu_reset_cfg_space}).
     */
    @Models({"drivers/gpu/drm/i915/gvt/vgpu.c:intel_gvt_reset_vgpu",
            "drivers/gpu/drm/i915/gvt/vgpu.c:intel_gvt_reset_vgpu_locked"})
    static void intelGvtResetVgpu(IntelVgpu vgpu) {
        vgpu.vreg().clear();
        intelVgpuResetCfgSpace(vgpu);
        vgpu.countReset();
    }

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
