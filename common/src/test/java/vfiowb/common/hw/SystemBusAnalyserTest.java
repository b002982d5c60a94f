package vfiowb.common.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vfiowb.common.hw.SystemBus.Space;
import vfiowb.common.hw.SystemBus.Transaction;

/**
 * The bus analyser: it sees each load and store a target decodes, with its width, and changes
 * nothing; a zPCI store block is one transaction however the target stores it.
 */
class SystemBusAnalyserTest {
    private final SystemBus bus = new SystemBus();
    private final List<Transaction> seen = new ArrayList<>();

    @Test
    void seesEachDecodedAccessWithItsWidthAndChangesNothing() {
        long ram = bus.allocPage(4096);
        long port = bus.place(SystemBus.Window.IO_PORT, 16, 16, new SparseMemory(16));
        bus.setAnalyser(seen::add);
        bus.write(ram + 8, 4, 0x11223344L);
        assertEquals(0x3344L, bus.read(ram + 8, 2));
        bus.ioWrite(port + 2, 1, 0x5a);
        assertEquals(0x5a, bus.ioRead(port + 2, 1));
        assertEquals(0xffL, bus.read(0x10, 1), "nothing decodes physical 0x10");
        assertEquals(List.of(
                new Transaction(Space.MEMORY, ram + 8, 4, true),
                new Transaction(Space.MEMORY, ram + 8, 2, false),
                new Transaction(Space.IO_PORT, port + 2, 1, true),
                new Transaction(Space.IO_PORT, port + 2, 1, false)), seen);
        bus.setAnalyser(null);
        bus.read(ram, 8);
        assertEquals(4, seen.size(), "detached");
    }

    @Test
    void aZpciStoreBlockIsOneStoreOfItsLength() {
        long entry = bus.place(SystemBus.Window.ZPCI_IOMAP, 1L << 20, 1L << 20,
                new SparseMemory(1L << 20));
        bus.setAnalyser(seen::add);
        byte[] block = new byte[19];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i + 1);
        }
        bus.iomapStoreBlock(entry + 0x103, block);
        assertEquals(List.of(new Transaction(Space.ZPCI, entry + 0x103, 19, true)), seen);
        assertEquals(0x0d0c0b0a09080706L, bus.iomapRead(entry + 0x108, 8));
        assertEquals(19, bus.iomapRead(entry + 0x115, 1));
        assertEquals(new Transaction(Space.ZPCI, entry + 0x115, 1, false), seen.get(2));
    }
}
