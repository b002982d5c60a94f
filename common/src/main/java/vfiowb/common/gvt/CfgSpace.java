package vfiowb.common.gvt;

import static vfiowb.common.errno.Errno.EINVAL;

import vfiowb.common.Models;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;

/**
 * drivers/gpu/drm/i915/gvt/cfg_space.c: GVT's emulation of a vGPU's PCI config space, which
 * kvmgt's read and write paths call for the config region and which the series never
 * touches. The state is the vGPU's {@code virtual_cfg_space} ({@link GvtVgpu}).
 */
@Models("drivers/gpu/drm/i915/gvt/cfg_space.c")
public final class CfgSpace {
    /** {@code PCI_CFG_SPACE_EXP_SIZE}: GVT's {@code device_info.cfg_space_size}. */
    static final int CFG_SPACE_SIZE = 4096;
    /** pci_regs.h offsets GVT's config emulation handles. */
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_STATUS = 0x06;
    private static final int PCI_CACHE_LINE_SIZE = 0x0c;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
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

    private CfgSpace() {}

    /**
     * {@code intel_vgpu_emulate_cfg_read}: at most 4 bytes inside the 4 KiB config space
     * (each refusal a {@code drm_WARN_ON} and -EINVAL), copied from {@code virtual_cfg_space}.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:intel_vgpu_emulate_cfg_read")
    public static int intelVgpuEmulateCfgRead(GvtVgpu vgpu, long offset, byte[] buf, int bytes) {
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
    public static int intelVgpuEmulateCfgWrite(GvtVgpu vgpu, long offset, byte[] buf, int bytes) {
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
            int ret = Opregion.intelVgpuEmulateOpregionRequest(vgpu,
                    cfgWriteValue("intel_vgpu_emulate_cfg_write", off, buf, bytes));
            if (ret != 0) {
                return ret;
            }
        } else if (dword == INTEL_GVT_PCI_OPREGION) {
            if (off != dword) {
                return -EINVAL;
            }
            int ret = Opregion.intelVgpuOpregionBaseWriteHandler(vgpu,
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
    static void vgpuPciCfgMemWrite(GvtVgpu vgpu, int off, byte[] src, int bytes) {
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
    static int emulatePciCommandWrite(GvtVgpu vgpu, int offset, byte[] buf, int bytes) {
        vgpuPciCfgMemWrite(vgpu, offset, buf, bytes);
        return 0;
    }

    /**
     * {@code emulate_pci_rom_bar_write}: the all-ones address mask (sizing) reads back 0, the
     * whole register cleared: the vGPU has no ROM; any other value a masked write.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:emulate_pci_rom_bar_write")
    static int emulatePciRomBarWrite(GvtVgpu vgpu, int offset, byte[] buf, int bytes) {
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
     * ({@link Gvt#intelVgpuWritePciBar}). The write always lands as a whole dword.
     */
    @Models("drivers/gpu/drm/i915/gvt/cfg_space.c:emulate_pci_bar_write")
    static void emulatePciBarWrite(GvtVgpu vgpu, int offset, byte[] buf, int bytes) {
        long val = cfgWriteValue("emulate_pci_bar_write", offset, buf, bytes);
        boolean lo = offset % 8 == 0;
        if (val == 0xFFFF_FFFFL) {
            long size;
            switch (offset) {
                case PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_0 + 4:
                    size = ~(vgpu.hw().mmioBarSize() - 1);
                    Gvt.intelVgpuWritePciBar(vgpu, offset, size >>> (lo ? 0 : 32), lo);
                    break;
                case PCI_BASE_ADDRESS_2, PCI_BASE_ADDRESS_2 + 4:
                    size = ~(vgpu.hw().hostApertureSize() - 1);
                    Gvt.intelVgpuWritePciBar(vgpu, offset, size >>> (lo ? 0 : 32), lo);
                    break;
                default:
                    Gvt.intelVgpuWritePciBar(vgpu, offset, 0, false);
                    break;
            }
        } else {
            Gvt.intelVgpuWritePciBar(vgpu, offset, val, lo);
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
    static void intelVgpuResetCfgSpace(GvtVgpu vgpu) {
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
    public static void intelVgpuInitCfgSpace(GvtVgpu vgpu) {
        byte[] firmware = vgpu.hw().firmwareCfgSpace();
        for (int i = 0; i < CFG_SPACE_SIZE; i++) {
            vgpu.setCfgByte(i, firmware[i]);
        }
        int gms = INTEL_GVT_PCI_GMCH_CONTROL + BDW_GMCH_GMS_SHIFT / Byte.SIZE;
        vgpu.setCfgByte(gms, vgpu.cfgByte(gms) & ~BDW_GMCH_GMS_MASK);
        Gvt.intelVgpuWritePciBar(vgpu, PCI_BASE_ADDRESS_2, vgpu.hw().hostApertureStart(), true);
        vgpu.setCfgByte(PCI_COMMAND, vgpu.cfgByte(PCI_COMMAND)
                & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
        cfgMemset(vgpu, PCI_BASE_ADDRESS_1, 4);
        cfgMemset(vgpu, PCI_BASE_ADDRESS_3, 4);
        cfgMemset(vgpu, PCI_BASE_ADDRESS_4, 8);
        cfgMemset(vgpu, INTEL_GVT_PCI_OPREGION, 4);
        cfgMemset(vgpu, PCI_ROM_ADDRESS, 4);
    }

    /** {@code memset(vgpu_cfg_space(vgpu) + offset, 0, len)}. */
    private static void cfgMemset(GvtVgpu vgpu, int offset, int len) {
        for (int i = 0; i < len; i++) {
            vgpu.setCfgByte(offset + i, 0);
        }
    }
}
