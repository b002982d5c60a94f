package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.PageTable.Level;

/**
 * All files of a device share its inode's address space, so one unmap_mapping_range reaches
 * every mapping of it, from every file and process (kernel-facts §D.4, scenario MM-11).
 */
class SharedAddressSpaceTest {
    private static final long MIB = 1L << 20;
    private static final int RW = PROT_READ | PROT_WRITE;

    private final FakeHost host = new FakeHost(Arch.X86_64);
    private final RamDevice dev = host.addRam("bar", 4 * MIB, 4 * MIB, RamDevice.Mode.LAZY);
    private final Process p1 = new Process(host);
    private final Process p2 = new Process(host);
    private final Mapping a = p1.mmap(0, 4 * MIB, RW, MAP_SHARED, p1.open("bar"), 0);
    private final Mapping b = p1.mmap(0, 4 * MIB, RW, MAP_SHARED, p1.open("bar"), 0);
    private final Mapping c = p2.mmap(0, 2 * MIB, RW, MAP_SHARED, p2.open("bar"), 2 * MIB);

    private long entries() {
        return p1.mm().pageTable().totalEntries() + p2.mm().pageTable().totalEntries();
    }

    @Nested
    class Zap {
        @Test
        void aResetZapsEveryMappingOfEveryFileAndTheNextTouchRefaults() {
            a.touchAll();
            b.touchAll();
            c.touchAll();
            assertEquals(5, entries());
            assertEquals(3, dev.mapping.vmas().size());
            long faults = dev.totalFaults();

            assertEquals(5, dev.zapAll());
            assertEquals(0, entries());
            assertEquals(3, dev.mapping.vmas().size(), "the VMAs stay");

            c.store(8, 4, 0xabcd);
            assertEquals(faults + 1, dev.totalFaults());
            assertEquals(0xabcd, a.load(2 * MIB + 8, 4));
            assertEquals(0xabcd, b.load(2 * MIB + 8, 4));
            assertEquals(faults + 3, dev.totalFaults());
        }

        @Test
        void aRangeZapClearsOnlyWhatMapsThatRangeButHugeEntriesGoWhole() {
            a.touchAll();
            c.touchAll();
            assertEquals(Map.of(Level.PTE, 0L, Level.PMD, 2L, Level.PUD, 0L), a.pageTableEntries());
            assertEquals(2, Memory.unmapMappingRange(dev.mapping, 2 * MIB + 4096, 4096, false),
                    "the second PMD of a and the PMD of c");
            assertNotNull(p1.mm().pageTable().lookup(a.addr()));
            assertNull(p1.mm().pageTable().lookup(a.addr() + 2 * MIB));
            assertEquals(0, p2.mm().pageTable().totalEntries());
        }

        @Test
        void ptesOutsideTheRangeSurvive() {
            Process p = new Process(host);
            Mapping m = p.mmap(0x40_0000_1000L, 8 * 4096, RW, MAP_SHARED | MAP_FIXED,
                    p.open("bar"), 0);
            m.touchAll();
            assertEquals(8, m.pageTableEntries().get(Level.PTE));
            Memory.unmapMappingRange(dev.mapping, 3 * 4096, 2 * 4096, false);
            assertEquals(6, m.pageTableEntries().get(Level.PTE));
            assertNull(p.mm().pageTable().lookup(m.addr() + 3 * 4096));
            assertNotNull(p.mm().pageTable().lookup(m.addr() + 5 * 4096));
        }
    }

    @Nested
    class Revocation {
        @Test
        void afterZapWithMemoryDisabledEveryMappingGetsSigbus() {
            a.store(0, 4, 1);
            c.store(0, 4, 2);
            dev.memoryEnabled = false;
            dev.zapAll();
            SigbusException e = assertThrows(SigbusException.class, () -> a.load(0, 4));
            assertEquals(a.addr(), e.address());
            assertEquals(0, e.getStackTrace().length, "a user-visible outcome, not a bug");
            assertThrows(SigbusException.class, () -> c.load(0, 4));
            dev.memoryEnabled = true;
            assertEquals(1, a.load(0, 4));
            assertEquals(2, c.load(0, 4));
        }

        @Test
        void eagerlyMappedRegionsDoNotComeBackAfterAZap() {
            FakeHost h = new FakeHost(Arch.ARM64_4K);
            RamDevice eager = h.addRam("platform", 64 * 1024, 64 * 1024, RamDevice.Mode.EAGER);
            Process p = new Process(h);
            Mapping m = p.mmap(0, 64 * 1024, RW, MAP_SHARED, p.open("platform"), 0);
            assertEquals(16, m.pageTableEntries().get(Level.PTE), "remap_pfn_range at mmap time");
            m.store(0, 8, 42);
            assertEquals(0, eager.totalFaults());
            eager.zapAll();
            assertThrows(SigbusException.class, () -> m.load(0, 8),
                    "no ->fault: vma_dummy_vm_ops answers SIGBUS");
        }
    }

    @Nested
    class Concurrency {
        @Test
        void zapsRacingWithFaultsNeverLoseData() throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            Thread zapper = new Thread(() -> {
                while (!stop.get()) {
                    dev.zapAll();
                }
            });
            zapper.start();
            try {
                for (int i = 0; i < 5000; i++) {
                    b.store(128, 4, i);
                    assertEquals(i, a.load(128, 4));
                    b.store(2 * MIB + 8, 4, i);
                    assertEquals(i, c.load(8, 4), "c maps the device from 2 MiB");
                }
            } finally {
                stop.set(true);
                zapper.join();
            }
        }
    }
}
