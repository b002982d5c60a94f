package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vfiowb.common.hw.SparseMemory;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.hw.SystemBus.Transaction;

/** A memremap/ioremap window: where its accesses land, their widths, and its bounds. */
class KernelMappingTest {
    private SystemBus bus;
    private long ram;
    private final List<Transaction> seen = new ArrayList<>();

    @BeforeEach
    void setUp() {
        bus = new SystemBus();
        ram = bus.place(SystemBus.Window.MMIO64, 0x1000, 0x1000, new SparseMemory(0x1000));
    }

    private List<Transaction> watch(Runnable r) {
        seen.clear();
        bus.setAnalyser(seen::add);
        r.run();
        bus.setAnalyser(null);
        return List.copyOf(seen);
    }

    @Test
    void loadsAndStoresLandAtTheBasePlusTheOffset() {
        KernelMapping m = new KernelMapping(bus, ram + 0x100, 0x200);
        m.write(0x10, 4, 0xcafef00dL);
        assertEquals(0xcafef00dL, bus.read(ram + 0x110, 4));
        bus.write(ram + 0x2f8, 8, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, m.read(0x1f8, 8));
        assertEquals(ram + 0x100, m.base());
        assertEquals(0x200, m.length());
    }

    @Test
    void aCopyIsEightByteAccessesWhereAlignedAndBytesElsewhere() {
        KernelMapping m = new KernelMapping(bus, ram + 0x6, 0x40);
        byte[] src = new byte[13];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (0xa0 + i);
        }
        List<Transaction> stores = watch(() -> m.copyTo(0, src));
        List<Integer> widths = stores.stream().map(Transaction::width).toList();
        assertEquals(List.of(1, 1, 8, 1, 1, 1), widths, "2 bytes to reach alignment, a qword, the tail");
        assertEquals(ram + 0x8, stores.get(2).address());
        byte[] back = new byte[13];
        List<Transaction> loads = watch(() -> m.copyFrom(0, back));
        assertEquals(widths, loads.stream().map(Transaction::width).toList());
        assertArrayEquals(src, back);
        byte[] shifted = new byte[12];
        m.copyFrom(1, shifted);
        for (int i = 0; i < shifted.length; i++) {
            assertEquals(src[i + 1], shifted[i], "byte " + i);
        }
    }

    @Test
    void nothingOutsideTheMappingIsTouched() {
        KernelMapping m = new KernelMapping(bus, ram + 0x100, 0x20);
        assertThrows(IllegalStateException.class, () -> m.read(0x1d, 4));
        assertThrows(IllegalStateException.class, () -> m.write(-1, 1, 0));
        assertThrows(IllegalStateException.class, () -> m.copyFrom(0x10, new byte[0x11]));
        assertThrows(IllegalStateException.class, () -> m.copyTo(0x20, new byte[1]));
        assertThrows(IllegalStateException.class, () -> m.copyTo(Long.MAX_VALUE, new byte[2]));
        assertEquals(List.of(), watch(() -> {
            try {
                m.copyTo(0x1f, new byte[2]);
            } catch (IllegalStateException expected) {
                // refused before any store
            }
        }));
        m.read(0x1c, 4);
        m.copyFrom(0, new byte[0x20]);
        m.copyTo(0x20, new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> new KernelMapping(bus, ram, -1));
    }
}
