package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;

/**
 * x86 PAT tracking: what a PFN insert's page-table entry gets, per arch, for what the driver put
 * in {@code vm_page_prot} and what the machine reserved.
 */
class PatMemtypeTest {
    private static final long MIB = 1L << 20;
    private static final long BAR = 0x4000_0000_0000L;

    /** A machine with PAT tracking and nothing else. */
    private static final class Machine implements PhysicalMemory {
        final PatMemtype pat = new PatMemtype();

        @Override
        public long read(long physAddr, int width) {
            return -1;
        }

        @Override
        public void write(long physAddr, int width, long value) {
        }

        @Override
        public boolean isBacked(long physAddr) {
            return true;
        }

        @Override
        public PatMemtype patMemtype() {
            return pat;
        }
    }

    /** Maps 4 MiB of a PFN map with {@code prot} and faults its first page (and a huge one). */
    private static PageTable.Entry faultIn(Arch arch, Machine m, PgProt prot, boolean huge) {
        MmStruct mm = new MmStruct(arch, m);
        long va = arch.is32Bit() ? 0x4000_0000L : 0x40_0000_0000L;
        VmArea[] vma = new VmArea[1];
        long ret = mm.doMmap(new TestFile(arch, v -> {
            v.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP);
            v.setPageProt(prot);
            vma[0] = v;
            return 0;
        }), va, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0);
        assertFalse(Errno.isError(ret));
        long pfn = BAR >>> arch.pageShift();
        if (huge) {
            Memory.vmfInsertPfnPmd(new VmFault(vma[0], va, false, arch.pmdOrder()), pfn, false);
        } else {
            Memory.vmfInsertPfnProt(vma[0], va, pfn, prot);
        }
        return mm.pageTable().lookup(va);
    }

    @Nested
    class Inserts {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"ARM64_4K", "ARM64_64K"})
        void arm64PtesTakeTheVmasAttribute(Arch arch) {
            Machine m = new Machine();
            assertEquals(PgProt.WC, faultIn(arch, m, PgProt.WC, false).prot());
            assertEquals(PgProt.UC, faultIn(arch, m, PgProt.UC, false).prot());
            assertEquals("Normal-NC", PgProt.WC.memoryType(arch));
            assertEquals("Device-nGnRnE", PgProt.UC.memoryType(arch));
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
        void onX86AWriteCombiningVmaNobodyReservedGetsUcMinus(Arch arch) {
            assertEquals(PgProt.UC, faultIn(arch, new Machine(), PgProt.WC, false).prot());
            assertEquals("UC-", PgProt.UC.memoryType(arch));
        }

        @Test
        void hugeInsertsAreOverriddenToo() {
            Machine m = new Machine();
            assertEquals(PgProt.UC, faultIn(Arch.X86_64, m, PgProt.WC, true).prot());
            m.pat.archIoReserveMemtypeWc(BAR, 64 * MIB);
            assertEquals(PgProt.WC, faultIn(Arch.X86_64, m, PgProt.WC, true).prot());
            assertEquals(PgProt.WC, faultIn(Arch.ARM64_4K, new Machine(), PgProt.WC, true).prot());
        }

        @Test
        void aWcReservationMakesWcPtesAndUcVmasToo() {
            Machine m = new Machine();
            assertEquals(PgProt.WC, m.pat.archIoReserveMemtypeWc(BAR, 64 * MIB));
            assertEquals(PgProt.WC, faultIn(Arch.X86_64, m, PgProt.WC, false).prot());
            assertEquals(PgProt.WC, faultIn(Arch.X86_64, m, PgProt.UC, false).prot(),
                    "the tracked type wins over what the driver asked, either way");
            assertEquals("WC", PgProt.WC.memoryType(Arch.X86_64));
        }

        @Test
        void aMachineWithoutTrackingKeepsTheProtection() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            assertNull(mm.physicalMemory());
            VmArea[] vma = new VmArea[1];
            mm.doMmap(new TestFile(Arch.X86_64, v -> {
                v.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP);
                vma[0] = v;
                return 0;
            }), 0x40_0000_0000L, MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0);
            Memory.vmfInsertPfnProt(vma[0], 0x40_0000_0000L, 1, PgProt.WC);
            assertEquals(PgProt.WC, mm.pageTable().lookup(0x40_0000_0000L).prot());
        }
    }

    @Nested
    class Reservations {
        @Test
        void anOverlappingUcMinusReservationDegradesALaterWcOne() {
            PatMemtype pat = new PatMemtype();
            assertEquals(PgProt.UC, pat.memtypeReserve(BAR, BAR + 64 * MIB, PgProt.UC, true));
            assertEquals(PgProt.UC, pat.archIoReserveMemtypeWc(BAR + MIB, MIB));
            assertEquals(PgProt.UC, pat.lookupMemtype(BAR + MIB));
        }

        @Test
        void aStrictCallerIsRefused() {
            PatMemtype pat = new PatMemtype();
            pat.memtypeReserve(BAR, BAR + MIB, PgProt.UC, true);
            assertNull(pat.memtypeReserve(BAR, BAR + 4096, PgProt.WC, false));
            assertEquals(1, pat.reservations().size());
        }

        @Test
        void disjointRangesKeepTheirOwnTypes() {
            PatMemtype pat = new PatMemtype();
            pat.memtypeReserve(BAR, BAR + MIB, PgProt.UC, true);
            assertEquals(PgProt.WC, pat.archIoReserveMemtypeWc(BAR + MIB, MIB));
            assertEquals(PgProt.UC, pat.lookupMemtype(BAR + MIB - 1));
            assertEquals(PgProt.WC, pat.lookupMemtype(BAR + MIB));
            assertEquals(PgProt.UC, pat.lookupMemtype(BAR + 2 * MIB), "untracked: UC-");
        }

        @Test
        void freeDropsExactlyOneReservation() {
            PatMemtype pat = new PatMemtype();
            pat.archIoReserveMemtypeWc(BAR, MIB);
            pat.archIoReserveMemtypeWc(BAR, MIB);
            assertTrue(pat.memtypeFree(BAR, BAR + MIB));
            assertEquals(PgProt.WC, pat.lookupMemtype(BAR));
            assertTrue(pat.memtypeFree(BAR, BAR + MIB));
            assertEquals(PgProt.UC, pat.lookupMemtype(BAR));
            assertFalse(pat.memtypeFree(BAR, BAR + MIB));
        }
    }
}
