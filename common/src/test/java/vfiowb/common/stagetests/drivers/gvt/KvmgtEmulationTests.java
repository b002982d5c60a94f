package vfiowb.common.stagetests.drivers.gvt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.kernelBug;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.mm.Arch;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;

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

        /**
         * {@code reg_is_mmio} / {@code reg_is_gtt} (mmio.c): the MMIO registers are
         * {@code [0, mmio_size)}, the GGTT {@code [gtt_start_offset, BAR0's end)}; the first
         * register and the last GGTT entry are reached, a byte at 2 MiB is guest memory
         * ({@code intel_gvt_read_gpa}/{@code _write_gpa}, which fail here: -EFAULT).
         */
        @Test
        void intelVgpuEmulateMmioReachesTheFirstRegisterAndTheLastGgttEntry() {
            Dev d = vgpu();
            long bar0 = offset(d, 0);
            assertEquals(4, d.writeLe(bar0, 4, 0x0a0b_0c0dL));
            assertEquals(0x0a0b_0c0dL, d.readLe(bar0, 4));
            assertEquals(0x0c0d, d.readLe(bar0, 2));
            assertEquals(Errno.EFAULT, errno(() -> d.read(bar0 + 2 * MIB, 1)));
            assertEquals(Errno.EFAULT, errno(() -> d.write(bar0 + 2 * MIB, new byte[1])));
            assertEquals(4, d.writeLe(bar0 + 16 * MIB - 4, 4, 0x600d_f00dL));
            assertEquals(0x600d_f00dL, d.readLe(bar0 + 16 * MIB - 4, 4));
        }

        /**
         * {@code intel_vgpu_read}: a 2-byte read at an odd offset is two 1-byte pieces, each
         * naturally aligned, so the MMIO emulation's alignment check passes.
         */
        @Test
        void intelVgpuReadSplitsAnOddTwoByteReadIntoBytes() {
            Dev d = vgpu();
            long bar0 = offset(d, 0);
            d.writeLe(bar0 + 0x2000, 4, 0x4433_2211L);
            assertEquals(0x3322, d.readLe(bar0 + 0x2001, 2));
            assertEquals(2, d.writeLe(bar0 + 0x2001, 2, 0xbbaa));
            assertEquals(0x44bb_aa11L, d.readLe(bar0 + 0x2000, 4));
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

        /**
         * {@code intel_vgpu_emulate_cfg_write} refuses an unaligned BAR, ROM, SWSCI or OpRegion
         * write ({@code drm_WARN_ON(!IS_ALIGNED(offset, 4))}) before any of them reads the value
         * as a {@code u32}: the -EFAULT carries no kernel bug.
         */
        @Test
        void intelVgpuEmulateCfgWriteChecksAlignmentBeforeReadingTheValue() {
            Dev d = vgpu();
            for (int reg : new int[] {0x13, 0x16, 0x31, 0x32, 0xea, 0xfd, 0xfe}) {
                int width = reg % 2 == 0 ? 2 : 1;
                ErrnoException e = assertThrows(ErrnoException.class, () -> d.writeLe(cfg(d, reg), width, 0));
                assertEquals(Errno.EFAULT, e.errno(), String.format("0x%x", reg));
                assertTrue(e.kernelBug().isEmpty(), String.format("0x%x: %s", reg, e.kernelBug()));
            }
        }

        /**
         * {@code vgpu_pci_cfg_mem_write}: the status register's high byte is write-one-to-clear
         * (writing 0 leaves it, writing 1 clears; nothing is set), its low byte read-only; from
         * {@code PCI_INTERRUPT_LINE + 4} (0x40) on, where the RW bitmap ends, bytes are stored
         * as written.
         */
        @Test
        void vgpuPciCfgMemWriteEmulatesTheRw1cStatusAndEndsTheBitmapAt0x40() {
            Dev d = vgpu();
            long status = d.readLe(cfg(d, 6), 2);
            assertEquals(0x10, status, "capability list only");
            d.writeLe(cfg(d, 6), 2, 0);
            assertEquals(status, d.readLe(cfg(d, 6), 2));
            d.writeLe(cfg(d, 6), 2, 0xffff);
            assertEquals(status, d.readLe(cfg(d, 6), 2));
            d.writeLe(cfg(d, 7), 1, 0xf9);
            assertEquals(status, d.readLe(cfg(d, 6), 2));
            d.writeLe(cfg(d, 0x40), 4, 0x1234_5678L);
            assertEquals(0x1234_5678L, d.readLe(cfg(d, 0x40), 4));
            d.writeLe(cfg(d, 0x3f), 1, 0xff);
            assertEquals(0, d.readLe(cfg(d, 0x3f), 1), "max latency is read-only");
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
            d.writeLe(cfg(d, 0x1c), 4, 0xffff_ffffL);
            assertEquals(0xffff_ffffL, d.readLe(cfg(d, 0x1c), 4), "the aperture's high dword");
            d.writeLe(cfg(d, 0x20), 4, 0xe001L);
            assertEquals(0xe000L, d.readLe(cfg(d, 0x20), 4), "bits 3:0 kept: 0 since creation");
            d.writeLe(cfg(d, 0x20), 4, 0xffff_ffffL);
            assertEquals(0, d.readLe(cfg(d, 0x20), 4), "BAR4 is unimplemented: 0, type bits too");
            d.writeLe(cfg(d, 0x24), 4, 0xffff_ffffL);
            assertEquals(0, d.readLe(cfg(d, 0x24), 4));
            d.writeLe(cfg(d, 0x10), 4, 0x1234_5678L);
            assertEquals(0x1234_5674L, d.readLe(cfg(d, 0x10), 4), "bits 3:0 kept");
            d.writeLe(cfg(d, 0x14), 4, 0x9abc_def1L);
            assertEquals(0x9abc_def1L, d.readLe(cfg(d, 0x14), 4), "a high dword as written");
        }

        @Test
        void emulatePciRomBarWriteClearsOnSizingAndMasksOtherwise() {
            Dev d = vgpu();
            d.writeLe(cfg(d, 0x30), 4, 0x1234_5fffL);
            assertEquals(0x1234_5801L, d.readLe(cfg(d, 0x30), 4), "address bits and enable");
            long capabilityList = d.readLe(cfg(d, 0x34), 4);
            d.writeLe(cfg(d, 0x30), 4, 0xffff_ffffL);
            assertEquals(0, d.readLe(cfg(d, 0x30), 4), "no ROM: the whole register reads 0");
            assertEquals(capabilityList, d.readLe(cfg(d, 0x34), 4), "the next register is left alone");
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
            assertTrue(bar.reason().contains("1-byte"), bar.reason());
            KernelBug bar5 = kernelBug(() -> d.writeLe(cfg(d, 0x24), 2, 0xffff));
            assertEquals(cfgSpace + "emulate_pci_bar_write", bar5.function());
            assertTrue(bar5.reason().contains("2-byte"),
                    "intel_vgpu_write passes an even 2-byte write as one u16: " + bar5.reason());
            assertEquals(cfgSpace + "emulate_pci_rom_bar_write",
                    kernelBug(() -> d.writeLe(cfg(d, 0x30), 2, 0x1)).function());
            assertEquals(cfgSpace + "intel_vgpu_emulate_cfg_write",
                    kernelBug(() -> d.writeLe(cfg(d, 0xe8), 1, 0x1)).function());
            assertEquals(cfgSpace + "intel_vgpu_emulate_cfg_write",
                    kernelBug(() -> d.writeLe(cfg(d, 0xfc), 2, 0x1)).function());
            assertEquals(2, d.writeLe(cfg(d, 0x3c), 2, 0x0a0b), "a short write elsewhere is fine");
        }
    }

    /**
     * {@code intel_vgpu_init_cfg_space} (cfg_space.c), run when the vGPU is created
     * ({@code intel_gvt_create_vgpu}, vgpu.c) and again by {@code VFIO_DEVICE_RESET}
     * ({@code intel_vgpu_ioctl} -> {@code intel_gvt_reset_vgpu} ->
     * {@code intel_gvt_reset_vgpu_locked(vgpu, true, 0)} -> {@code intel_vgpu_reset_cfg_space}):
     * the host's config space ({@code gvt->firmware.cfg_space}) with decode, stolen memory and
     * the BARs GVT does not emulate taken away.
     */
    @Nested
    class InitCfgSpace {
        private static final int PCI_COMMAND = 0x04;
        private static final int PCI_STATUS = 0x06;
        private static final int PCI_CAPABILITY_LIST = 0x34;
        private static final int GMCH_CONTROL = 0x50;
        private static final int MSI = 0xac;

        private long cfg(Dev d, int reg) {
            return offset(d, CONFIG) + reg;
        }

        private static long le(byte[] b, int off, int width) {
            return NonPci.le(b, off, width);
        }

        /** The registers intel_vgpu_init_cfg_space writes after copying the host's 4 KiB. */
        private boolean initWrites(int off) {
            return off == PCI_COMMAND || off == GMCH_CONTROL + 1 || (off >= 0x14 && off < 0x28)
                    || (off >= 0x30 && off < 0x34) || (off >= 0xfc && off < 0x100);
        }

        /**
         * intel_vgpu_init_cfg_space: every byte of the 4 KiB is the host's but the ones it
         * writes: IO, memory and bus-master decode off, no stolen memory (GMS, bits 15:8 of
         * the GMCH control), BAR2's low dword the aperture's address as a {@code u32} (type
         * bits kept), BAR1, BAR3, BAR4-5, the OpRegion address (0xfc) and the ROM BAR zero.
         */
        @Test
        void intelVgpuInitCfgSpaceCopiesTheHostsAndTakesDecodeAndStolenMemoryAway() {
            Dev d = vgpu();
            KvmgtVgpu hw = (KvmgtVgpu) d.hw();
            byte[] host = hw.firmwareCfgSpace();
            byte[] vgpu = d.read(offset(d, CONFIG), 4096);
            for (int off = 0; off < 4096; off++) {
                if (!initWrites(off)) {
                    assertEquals(host[off], vgpu[off], String.format("byte 0x%x is the host's", off));
                }
            }
            assertEquals(0x7, le(host, PCI_COMMAND, 2) & 0x7, "the host decodes");
            assertEquals(le(host, PCI_COMMAND, 2) & ~0x7, le(vgpu, PCI_COMMAND, 2));
            assertEquals(0x01c1, le(host, GMCH_CONTROL, 2));
            assertEquals(0x00c1, le(vgpu, GMCH_CONTROL, 2), "GMS cleared, the rest kept");
            assertEquals((hw.hostApertureStart() & 0xffff_fff0L) | 0xc, le(vgpu, 0x18, 4));
            assertTrue(le(host, 0x1c, 4) != 0 && le(host, 0x20, 4) != 0 && le(host, 0xfc, 4) != 0,
                    "the host has its aperture above 4 GiB, an I/O BAR4 and an OpRegion");
            for (int reg : new int[] {0x14, 0x1c, 0x20, 0x24, 0x30, 0xfc}) {
                assertEquals(0, le(vgpu, reg, 4), String.format("0x%x", reg));
            }
            assertEquals(le(host, 0x10, 4), le(vgpu, 0x10, 4), "BAR0 is the host's");
        }

        /**
         * VFIO_DEVICE_RESET: intel_vgpu_reset_cfg_space sets the whole 4 KiB back to what
         * intel_vgpu_init_cfg_space made of the host's at creation, whatever the guest wrote.
         */
        @Test
        void deviceResetRestoresTheConfigSpaceOfCreation() {
            Dev d = vgpu();
            byte[] created = d.read(offset(d, CONFIG), 4096);
            d.writeLe(cfg(d, PCI_COMMAND), 2, 0x0407);
            d.writeLe(cfg(d, PCI_STATUS), 2, 0xffff);
            d.writeLe(cfg(d, 0x0c), 1, 0x10);
            for (int reg = 0x10; reg < 0x28; reg += 4) {
                d.writeLe(cfg(d, reg), 4, 0xc000_0000L + reg);
            }
            d.writeLe(cfg(d, 0x30), 4, 0x1234_5801L);
            d.writeLe(cfg(d, 0x3c), 1, 0x0b);
            d.writeLe(cfg(d, GMCH_CONTROL), 2, 0x3fc1);
            d.writeLe(cfg(d, MSI + 2), 2, 0x0001);
            d.writeLe(cfg(d, MSI + 4), 4, 0xfee0_0000L);
            d.writeLe(cfg(d, 0xfc), 4, 0x7ff0_0000L);
            d.writeLe(cfg(d, 0x200), 4, 0xdead_beefL);
            d.writeLe(cfg(d, 4092), 4, 0x1234_5678L);
            assertEquals(0x0407, d.readLe(cfg(d, PCI_COMMAND), 2), "written");
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertArrayEquals(created, d.read(offset(d, CONFIG), 4096));
            assertEquals(0, d.readLe(cfg(d, PCI_COMMAND), 2) & 0x7, "decode off again");
        }

        /**
         * The config space GVT copies from the host carries the host IGD's MSI capability
         * ({@code device_info.msi_cap_offset} is the host's {@code pdev->msi_cap}): the status
         * register's capability-list bit, the list at 0xac, one vector (Multiple Message
         * Capable 0), the one VFIO_DEVICE_GET_IRQ_INFO reports for the MSI index
         * ({@code intel_vgpu_get_irq_count}).
         */
        @Test
        void theMsiCapabilityOfTheHostHasTheOneVectorGetIrqInfoReports() {
            Dev d = vgpu();
            assertEquals(0x10, d.readLe(cfg(d, PCI_STATUS), 2) & 0x10);
            assertEquals(MSI, d.readLe(cfg(d, PCI_CAPABILITY_LIST), 1));
            assertEquals(0x05, d.readLe(cfg(d, MSI), 1), "PCI_CAP_ID_MSI");
            assertEquals(0, d.readLe(cfg(d, MSI + 1), 1), "the last capability");
            long flags = d.readLe(cfg(d, MSI + 2), 2);
            assertEquals(0, flags & 0x1, "MSI disabled");
            VfioIrqInfo msi = d.irq(1);
            assertEquals(1L << ((flags >> 1) & 7), msi.count());
            assertEquals(1, msi.count());
        }
    }
}
