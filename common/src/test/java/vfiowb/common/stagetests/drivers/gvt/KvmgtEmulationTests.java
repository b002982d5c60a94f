package vfiowb.common.stagetests.drivers.gvt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.kernelBug;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.mm.Arch;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;

/**
 * GVT's emulation behind kvmgt's read and write (issue 9 findings): what
 * {@code intel_vgpu_emulate_mmio_read/write} accept of the GGTT and what
 * {@code intel_vgpu_emulate_cfg_write} does with each config register. Every refusal of the
 * emulation is -EINVAL, which {@code intel_vgpu_read} and {@code intel_vgpu_write} turn into
 * -EFAULT for the whole call. Written once, run by every stage through a one-line subclass.
 */
public abstract class KvmgtEmulationTests {
    private static final long MIB = 1L << 20;
    private static final long GGTT = 8 * MIB;
    private static final int CONFIG = 7;

    private final StageAdapter stage;

    protected KvmgtEmulationTests(StageAdapter stage) {
        this.stage = stage;
    }

    private Dev vgpu() {
        return NonPci.open(stage, Arch.X86_64, "kvmgt-vgpu");
    }

    private static long offset(Dev d, long index) {
        return d.region(index).info().offset();
    }

    /**
     * {@code intel_vgpu_emulate_mmio_read} / {@code _write} (mmio.c) and
     * {@code emulate_ggtt_mmio_read} / {@code ggtt_mmio_write} (gtt.c): a GGTT access is 4 or 8
     * bytes at a 4-byte aligned offset; kvmgt's pieces of a read or write are naturally aligned
     * and never 8 bytes wide ({@code gtt_entry}), so only whole aligned dwords get through.
     */
    @Nested
    class Ggtt {
        @Test
        void intelVgpuEmulateMmioReadRefusesOneAndTwoByteGgttReads() {
            Dev d = vgpu();
            long ggtt = offset(d, 0) + GGTT;
            d.writeLe(ggtt + 0x10, 4, 0x0bad_f00dL);
            assertEquals(0x0bad_f00dL, d.readLe(ggtt + 0x10, 4));
            assertEquals(0x0bad_f00dL, d.readLe(ggtt + 0x10, 8) & 0xFFFF_FFFFL, "two dwords");
            assertEquals(Errno.EFAULT, errno(() -> d.read(ggtt + 0x10, 2)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(ggtt + 0x11, 1)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(ggtt + 0x12, 4)), "two 2-byte pieces");
            assertEquals(Errno.EFAULT, errno(() -> d.read(ggtt + 0x10, 6)), "a dword, then 2 bytes");
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 0) + 16 * MIB - 1, 1)),
                    "the last byte of BAR0");
            d.writeLe(offset(d, 0) + 0x2000, 4, 0x3400);
            assertEquals(0x34, d.readLe(offset(d, 0) + 0x2001, 1), "an MMIO register takes a byte");
        }

        @Test
        void intelVgpuEmulateMmioWriteRefusesOneAndTwoByteGgttWrites() {
            Dev d = vgpu();
            long ggtt = offset(d, 0) + GGTT;
            d.writeLe(ggtt + 0x20, 4, 0x1111_1111L);
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(ggtt + 0x20, 2, 0xffff)));
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(ggtt + 0x23, 1, 0xff)));
            assertEquals(0x1111_1111L, d.readLe(ggtt + 0x20, 4), "nothing written");
            assertEquals(1, d.writeLe(offset(d, 0) + 0x2001, 1, 0x34), "an MMIO register takes a byte");
        }

        /**
         * {@code intel_vgpu_bar_rw}: the emulation gets BAR0's offset through an {@code int}
         * ({@code intel_vgpu_gpa_to_mmio_offset}), so kvmgt's own 40-bit layout reaches BAR0's
         * registers again every 4 GiB: inside kvmgt's 40-bit slot before stage 4, and from
         * stage 4 on, where the core resolves the offset, inside BAR0's cookie as the default
         * policy lays it out (the core passes the offset on unbounded by the region's size).
         */
        @Test
        void intelVgpuBarRwSeesTheOffsetModuloFourGib() {
            Dev d = vgpu();
            long bar0 = offset(d, 0);
            d.writeLe(bar0 + 0x2000, 4, 0x5a5a_0001L);
            assertEquals(0x5a5a_0001L, d.readLe(bar0 + (4L << 30) + 0x2000, 4));
            assertEquals(0x5a5a_0001L, d.readLe(bar0 + (12L << 30) + 0x2000, 4));
        }
    }

    /** {@code intel_vgpu_emulate_cfg_write} (cfg_space.c), case by case. */
    @Nested
    class ConfigWrite {
        private long cfg(Dev d, int reg) {
            return offset(d, CONFIG) + reg;
        }

        @Test
        void intelVgpuEmulateCfgWriteRefusesUnalignedBarRomSwsciAndOpregionWrites() {
            Dev d = vgpu();
            long bar0 = d.readLe(cfg(d, 0x10), 4);
            for (int reg : new int[] {0x12, 0x15, 0x26, 0x31, 0xe9, 0xfe}) {
                assertEquals(Errno.EFAULT, errno(() -> d.writeLe(cfg(d, reg), 1, 0xff)),
                        String.format("0x%x", reg));
            }
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(cfg(d, 0x12), 2, 0xffff)));
            assertEquals(bar0, d.readLe(cfg(d, 0x10), 4));
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(cfg(d, 4), 4, 0x6)),
                    "PCI_COMMAND takes at most 2 bytes");
        }

        @Test
        void emulatePciBarWriteSizesFromTheHostAndKeepsTheTypeBits() {
            Dev d = vgpu();
            d.writeLe(cfg(d, 0x10), 4, 0xffff_ffffL);
            assertEquals(0xff00_0004L, d.readLe(cfg(d, 0x10), 4), "16 MiB GTTMMADR, 64-bit");
            d.writeLe(cfg(d, 0x14), 4, 0xffff_ffffL);
            assertEquals(0xffff_ffffL, d.readLe(cfg(d, 0x14), 4));
            d.writeLe(cfg(d, 0x18), 4, 0xffff_ffffL);
            assertEquals(0xf000_000cL, d.readLe(cfg(d, 0x18), 4), "256 MiB aperture, prefetchable");
            d.writeLe(cfg(d, 0x20), 4, 0xffff_ffffL);
            assertEquals(0, d.readLe(cfg(d, 0x20), 4), "BAR4 is unimplemented: 0, type bits too");
            d.writeLe(cfg(d, 0x10), 4, 0x1234_5678L);
            assertEquals(0x1234_5674L, d.readLe(cfg(d, 0x10), 4), "bits 3:0 kept");
            d.writeLe(cfg(d, 0x14), 4, 0x9abc_def1L);
            assertEquals(0x9abc_def1L, d.readLe(cfg(d, 0x14), 4), "a high dword as written");
        }

        @Test
        void emulatePciRomBarWriteClearsOnSizingAndMasksOtherwise() {
            Dev d = vgpu();
            d.writeLe(cfg(d, 0x30), 4, 0xffff_ffffL);
            assertEquals(0, d.readLe(cfg(d, 0x30), 4));
            d.writeLe(cfg(d, 0x30), 4, 0x1234_5fffL);
            assertEquals(0x1234_5801L, d.readLe(cfg(d, 0x30), 4), "address bits and enable");
        }

        /**
         * {@code vgpu_pci_cfg_mem_write}: read-only bytes below 0x40 keep their value, the rest
         * of the 4 KiB (capabilities, extended space) is stored as written and read back.
         */
        @Test
        void vgpuPciCfgMemWriteCopiesEverythingPastTheHeaderAsWritten() {
            Dev d = vgpu();
            d.writeLe(cfg(d, 0), 2, 0xffff);
            assertEquals(0x8086, d.readLe(cfg(d, 0), 2), "vendor ID is read-only");
            d.writeLe(cfg(d, 0x3c), 1, 0x0b);
            assertEquals(0x0b, d.readLe(cfg(d, 0x3c), 1));
            d.writeLe(cfg(d, 0x50), 4, 0xcafe_f00dL);
            assertEquals(0xcafe_f00dL, d.readLe(cfg(d, 0x50), 4));
            d.writeLe(cfg(d, 0x200), 4, 0xdead_beefL);
            assertEquals(0xdead_beefL, d.readLe(cfg(d, 0x200), 4));
            d.writeLe(cfg(d, 4095), 1, 0x7e);
            assertEquals(0x7e, d.readLe(cfg(d, 4095), 1));
        }

        /**
         * {@code intel_vgpu_opregion_base_write_handler} takes any address and the register is
         * stored; {@code intel_vgpu_emulate_opregion_request} first reads the guest's SCIC word
         * ({@code intel_gvt_read_gpa}), which the model has no guest memory for: the SWSCI
         * write fails and is not stored.
         */
        @Test
        void intelVgpuEmulateCfgWriteHandsOpregionAndSwsciToTheOpregion() {
            Dev d = vgpu();
            d.writeLe(cfg(d, 0xfc), 4, 0x7ff0_0000L);
            assertEquals(0x7ff0_0000L, d.readLe(cfg(d, 0xfc), 4));
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(cfg(d, 0xe8), 4, 0x8001)));
            assertEquals(0, d.readLe(cfg(d, 0xe8), 4));
        }

        /**
         * The upstream bug (docs/kernel-bugs.md, kvmgt-cfg-short-write-oob): a 1- or 2-byte write
         * at an aligned BAR, ROM, SWSCI or OpRegion offset is read as a {@code u32}.
         */
        @Test
        void aShortWriteAtAnAlignedBarIsReadAsAU32() {
            Dev d = vgpu();
            String cfgSpace = "drivers/gpu/drm/i915/gvt/cfg_space.c:";
            KernelBug bar = kernelBug(() -> d.writeLe(cfg(d, 0x10), 1, 0xff));
            assertEquals(cfgSpace + "emulate_pci_bar_write", bar.function());
            assertEquals(KernelBug.Kind.OUT_OF_BOUNDS, bar.kind());
            assertEquals(cfgSpace + "emulate_pci_bar_write",
                    kernelBug(() -> d.writeLe(cfg(d, 0x24), 2, 0xffff)).function());
            assertEquals(cfgSpace + "emulate_pci_rom_bar_write",
                    kernelBug(() -> d.writeLe(cfg(d, 0x30), 2, 0x1)).function());
            assertEquals(cfgSpace + "intel_vgpu_emulate_cfg_write",
                    kernelBug(() -> d.writeLe(cfg(d, 0xe8), 1, 0x1)).function());
            assertEquals(cfgSpace + "intel_vgpu_emulate_cfg_write",
                    kernelBug(() -> d.writeLe(cfg(d, 0xfc), 2, 0x1)).function());
            assertEquals(2, d.writeLe(cfg(d, 0x3c), 2, 0x0a0b), "a short write elsewhere is fine");
        }
    }
}
