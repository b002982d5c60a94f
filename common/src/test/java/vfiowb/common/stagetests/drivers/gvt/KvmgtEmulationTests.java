package vfiowb.common.stagetests.drivers.gvt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Arch;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;

/**
 * GVT's emulation behind kvmgt's read and write (issue 9 findings): what
 * {@code intel_vgpu_emulate_mmio_read/write} accept of the GGTT. Every refusal of the
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
}
