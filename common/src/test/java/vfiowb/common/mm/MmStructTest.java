package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_EXEC;
import static vfiowb.common.mm.Mman.PROT_NONE;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.PageTable.Level;

class MmStructTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final int RW = PROT_READ | PROT_WRITE;
    /** A physical base aligned to 1 GiB, as a large BAR is. */
    private static final long BASE_PHYS = 64 * GIB;

    private static long map(MmStruct mm, MappableFile f, long addr, long len, int prot, int flags,
            long pgoff) {
        long ret = mm.doMmap(f, addr, len, prot, flags, pgoff);
        assertFalse(Errno.isError(ret), () -> "mmap failed: " + Errno.name((int) -ret));
        return ret;
    }

    @Nested
    class GetUnmappedArea {
        @Test
        void x86OneGibAtAPudAlignedPgoffGetsAOneGibAlignedAddress() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
            for (long pgoff : new long[] {0, 1L << 18, 7L << 28}) {
                long addr = mm.getUnmappedArea(f, 0, GIB, pgoff, MAP_SHARED);
                assertEquals(0, addr & (GIB - 1), () -> Long.toHexString(addr));
            }
        }

        @Test
        void congruenceFollowsThePgoffWhenNoPudBlockFits() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
            long addr = mm.getUnmappedArea(f, 0, GIB, (1L << 18) + 1, MAP_SHARED);
            assertEquals(4096, addr & (2 * MIB - 1));
        }

        @Test
        void tooSmallForAHugePageStaysPageAligned() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
            assertEquals(mm.mmapBase() - 64 * 1024, mm.getUnmappedArea(f, 0, 64 * 1024, 0, MAP_SHARED));
        }

        @Test
        void upstreamPolicyAlignsToAPageOnly() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            mm.setUnmappedAreaPolicy(MmStruct.UnmappedAreaPolicy.PAGE);
            TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
            long addr = mm.getUnmappedArea(f, 0, GIB, 0, MAP_SHARED);
            assertEquals(mm.mmapBase() - GIB, addr);
            assertNotEquals(0, addr & (2 * MIB - 1));
        }

        @ParameterizedTest
        @EnumSource(Arch.class)
        void alignsToTheLargestHugePfnmapSizeOfTheArch(Arch arch) {
            MmStruct mm = new MmStruct(arch);
            TestFile f = TestFile.pfnmap(arch, new RecordingOps(0));
            long addr = mm.getUnmappedArea(f, 0, GIB, 0, MAP_SHARED);
            assertEquals(0, addr & (arch.largestMappingAlignment() - 1));
            assertTrue(addr + GIB <= mm.mmapBase());
            if (arch == Arch.I386) {
                assertEquals(mm.mmapBase() - GIB, addr, "32-bit never pads for alignment");
            }
        }

        @Test
        void aFreeHintIsHonouredAndAnOccupiedOneIsNot() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
            long hint = 0x5555_0000_1000L;
            assertEquals(hint, map(mm, f, hint, 8192, RW, MAP_SHARED, 0));
            long second = map(mm, f, hint, 8192, RW, MAP_SHARED, 0);
            assertNotEquals(hint, second);
            assertEquals(2, mm.mapCount());
        }

        @Test
        void successiveMappingsGoDownwardWithoutOverlap() {
            MmStruct mm = new MmStruct(Arch.I386);
            TestFile f = TestFile.pfnmap(Arch.I386, new RecordingOps(0));
            long a = map(mm, f, 0, 3 * 4096, RW, MAP_SHARED, 0);
            long b = map(mm, f, 0, 5 * 4096, RW, MAP_SHARED, 0);
            assertEquals(mm.mmapBase() - 3 * 4096, a);
            assertEquals(a - 5 * 4096, b);
        }

        @Test
        void fixedAddressesAreCheckedNotSearched() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            assertEquals(0x1234_5000L, mm.getUnmappedArea(null, 0x1234_5000L, 4096, 0, MAP_FIXED));
            assertEquals(-Errno.EINVAL, mm.getUnmappedArea(null, 0x1234_5001L, 4096, 0, MAP_FIXED));
            assertEquals(-Errno.ENOMEM, mm.getUnmappedArea(null, mm.taskSize(), 4096, 0, MAP_FIXED));
            assertEquals(-Errno.ENOMEM, mm.getUnmappedArea(null, 0, mm.taskSize() + 4096, 0, 0));
        }

        @Test
        void aFullAddressSpaceIsEnomem() {
            MmStruct mm = new MmStruct(Arch.I386);
            TestFile f = TestFile.pfnmap(Arch.I386, new RecordingOps(0));
            map(mm, f, 0, 0xB000_0000L, RW, MAP_SHARED, 0);
            assertEquals(-Errno.ENOMEM, mm.doMmap(f, 0, 0x1000_0000L, RW, MAP_SHARED, 0));
        }
    }

    @Nested
    class Faults {
        private final MmStruct mm = new MmStruct(Arch.X86_64);
        private final RecordingOps ops = new RecordingOps(BASE_PHYS >>> 12);
        private final TestFile f = TestFile.pfnmap(Arch.X86_64, ops);

        @Test
        void outsideAnyVmaIsSigsegv() {
            assertEquals(VmFaultResult.SIGSEGV, mm.handleMmFault(0x1000_0000L, false));
        }

        @Test
        void permissionsFollowTheVmaFlags() {
            long ro = map(mm, f, 0, 4096, PROT_READ, MAP_SHARED, 0);
            assertEquals(VmFaultResult.SIGSEGV, mm.handleMmFault(ro, true));
            long none = map(mm, f, 0, 4096, PROT_NONE, MAP_SHARED, 0);
            assertEquals(VmFaultResult.SIGSEGV, mm.handleMmFault(none, false));
            long wo = map(mm, f, 0, 4096, PROT_WRITE, MAP_SHARED, 0);
            assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(wo, false), "write implies read");
            long xo = map(mm, f, 0, 4096, PROT_EXEC, MAP_SHARED, 0);
            assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(xo, false), "x86: exec implies read");
        }

        @Test
        void execOnlyIsNotReadableOnArm64() {
            MmStruct arm = new MmStruct(Arch.ARM64_4K);
            TestFile af = TestFile.pfnmap(Arch.ARM64_4K, new RecordingOps(0));
            long xo = map(arm, af, 0, 4096, PROT_EXEC, MAP_SHARED, 0);
            assertEquals(VmFaultResult.SIGSEGV, arm.handleMmFault(xo, false));
        }

        /** handle_mm_fault passes FAULT_FLAG_WRITE for a store, and only for a store. */
        @Test
        void theFaultSaysWhetherItIsAWrite() {
            long a = map(mm, f, 0, 4096, RW, MAP_SHARED, 0);
            assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(a, true));
            assertEquals(List.of(true), ops.writes.stream().distinct().toList());
            ops.writes.clear();
            long b = map(mm, f, 0, 4096, RW, MAP_SHARED, 1);
            assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(b, false));
            assertEquals(List.of(false), ops.writes.stream().distinct().toList());
        }

        @Test
        void hugeOrdersAreOfferedEvenWhenTheBlockLeavesTheVma() {
            long addr = map(mm, f, 0x40_0000_0000L, 3 * 4096, RW, MAP_SHARED | MAP_FIXED, 0);
            assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(addr + 8192, false));
            assertEquals(List.of(18, 9, 0), ops.offered);
        }

        @ParameterizedTest
        @EnumSource(Arch.class)
        void onlyTheArchsHugeLevelsAreOffered(Arch arch) {
            MmStruct m = new MmStruct(arch);
            RecordingOps o = new RecordingOps(BASE_PHYS >>> arch.pageShift());
            long addr = map(m, TestFile.pfnmap(arch, o), 0, 4096, RW, MAP_SHARED, 0);
            m.handleMmFault(addr, false);
            List<Integer> expected = arch == Arch.X86_64 ? List.of(arch.pudOrder(), arch.pmdOrder(), 0)
                    : arch == Arch.I386 ? List.of(0) : List.of(arch.pmdOrder(), 0);
            assertEquals(expected, o.offered);
        }

        @Test
        void noHugeFaultWhereATableAlreadyHangs() {
            long addr = map(mm, f, 0, GIB, RW, MAP_SHARED, 0);
            ops.fallbackOrders.add(18);
            mm.handleMmFault(addr, false);
            assertEquals(List.of(18, 9), ops.offered);
            assertEquals(Map.of(Level.PTE, 0L, Level.PMD, 1L, Level.PUD, 0L),
                    mm.pageTable().entriesByLevel());
            ops.fallbackOrders.clear();
            ops.offered.clear();
            f.mapping.unmapMappingRange(0, 0, true);
            mm.handleMmFault(addr, false);
            assertEquals(List.of(9), ops.offered, "the PMD table survives the zap: no PUD fault");
            mm.doMunmap(addr, GIB);
            assertEquals(0, mm.pageTable().pmdTableCount(), "munmap frees the tables");
            ops.offered.clear();
            long again = map(mm, f, 0, GIB, RW, MAP_SHARED, 0);
            mm.handleMmFault(again, false);
            assertEquals(List.of(18), ops.offered);
        }

        @Test
        void aFallbackFromTheOrderZeroFaultIsAModelBug() {
            ops.fallbackOrders.add(0);
            long addr = map(mm, f, 0, 4096, RW, MAP_SHARED, 0);
            assertThrows(IllegalStateException.class, () -> mm.handleMmFault(addr, false));
        }

        @Test
        void dummyOpsGiveSigbus() {
            TestFile plain = new TestFile(Arch.X86_64, vma -> 0);
            long addr = map(mm, plain, 0, 4096, RW, MAP_SHARED, 0);
            assertSame(VmOperations.DUMMY, mm.vmaLookup(addr).vmOps());
            assertEquals(VmFaultResult.SIGBUS, mm.handleMmFault(addr, false));
        }

        @Test
        void anonymousMemoryIsNotModelled() {
            long addr = map(mm, null, 0, 4096, RW, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, 0);
            assertTrue(mm.vmaLookup(addr).isAnonymous());
            assertThrows(UnsupportedOperationException.class, () -> mm.handleMmFault(addr, false));
        }
    }

    @Nested
    class Munmap {
        private final MmStruct mm = new MmStruct(Arch.X86_64);
        private final RecordingOps ops = new RecordingOps(BASE_PHYS >>> 12);
        private final TestFile f = TestFile.pfnmap(Arch.X86_64, ops);

        @Test
        void unmappingTheMiddleSplitsLikeTheKernel() {
            long addr = map(mm, f, 0, 3 * 4096, RW, MAP_SHARED, 10);
            VmArea original = mm.vmaLookup(addr);
            for (int i = 0; i < 3; i++) {
                mm.handleMmFault(addr + i * 4096L, false);
            }
            assertEquals(0, mm.doMunmap(addr + 4096, 4096));
            List<VmArea> left = mm.vmas();
            assertEquals(2, left.size());
            assertEquals(10, left.get(0).vmPgoff());
            assertEquals(12, left.get(1).vmPgoff());
            assertEquals(List.of(original), ops.closed, "the original ends as the unmapped part");
            assertEquals(2, ops.opened.size(), "each surviving part is a new VMA");
            assertFalse(left.contains(original));
            assertEquals(2, f.mapping.vmas().size());
            assertEquals(2, mm.pageTable().totalEntries());
            assertEquals(1 + 2, f.refs.get());
        }

        @Test
        void splittingInsideAHugeEntryClearsIt() {
            long addr = map(mm, f, 0, 4 * MIB, RW, MAP_SHARED, 0);
            assertEquals(0, addr & (2 * MIB - 1));
            mm.handleMmFault(addr, false);
            mm.handleMmFault(addr + 2 * MIB, false);
            assertEquals(2L, mm.pageTable().entriesByLevel().get(Level.PMD));
            mm.doMunmap(addr + 2 * MIB + 4096, 4096);
            assertEquals(Map.of(Level.PTE, 0L, Level.PMD, 1L, Level.PUD, 0L),
                    mm.pageTable().entriesByLevel());
        }

        @Test
        void badArgumentsAreEinvalAndHolesAreFine() {
            assertEquals(-Errno.EINVAL, mm.doMunmap(0x1001, 4096));
            assertEquals(-Errno.EINVAL, mm.doMunmap(0x1000, 0));
            assertEquals(-Errno.EINVAL, mm.doMunmap(mm.taskSize() - 4096, 8192));
            assertEquals(0, mm.doMunmap(0x1000, 4096));
        }

        @Test
        void mapFixedReplacesWhatWasThere() {
            long addr = map(mm, f, 0, 4 * 4096, RW, MAP_SHARED, 0);
            mm.handleMmFault(addr, false);
            TestFile other = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
            assertEquals(addr + 4096, map(mm, other, addr + 4096, 4096, RW, MAP_SHARED | MAP_FIXED, 0));
            assertEquals(3, mm.mapCount());
            assertSame(other, mm.vmaLookup(addr + 4096).vmFile());
            assertEquals(1, mm.pageTable().totalEntries());
        }
    }

    @Nested
    class Fork {
        @Test
        void pfnmapEntriesAreCopiedThenOpenRuns() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            RecordingOps ops = new RecordingOps(BASE_PHYS >>> 12);
            TestFile f = TestFile.pfnmap(Arch.X86_64, ops);
            long addr = map(mm, f, 0, 2 * MIB, RW, MAP_SHARED, 0);
            mm.handleMmFault(addr, false);
            long[] entriesAtOpen = {-1};
            ops.onOpen = vma -> entriesAtOpen[0] = vma.vmMm().pageTable().totalEntries();
            MmStruct child = mm.dupMmap();
            assertEquals(1, ops.opened.size());
            assertSame(child, ops.opened.get(0).vmMm());
            assertEquals(1, entriesAtOpen[0], "entries were copied before ->open");
            assertEquals(2, f.mapping.vmas().size());
            assertEquals(mm.pageTable().entriesByLevel(), child.pageTable().entriesByLevel());
            assertEquals(1 + 2, f.refs.get());
            child.exitMmap();
            assertEquals(1 + 1, f.refs.get());
            assertEquals(1, f.mapping.vmas().size());
        }

        @Test
        void pageBackedEntriesAreNotCopied() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            VmOperations pages = new VmOperations() {
                @Override
                public VmFaultResult fault(VmFault vmf) {
                    return Memory.finishFault(vmf, BASE_PHYS + vmf.pgoff() * 4096);
                }

                @Override
                public String name() {
                    return "page_ops";
                }
            };
            TestFile f = new TestFile(Arch.X86_64, vma -> {
                vma.setVmOps(pages);
                return 0;
            });
            long addr = map(mm, f, 0, 4096, RW, MAP_SHARED, 0);
            mm.handleMmFault(addr, false);
            assertFalse(mm.pageTable().lookup(addr).special());
            assertEquals(0, mm.dupMmap().pageTable().totalEntries());
        }
    }

    @Test
    void vmFlagsMayOnlyChangeUnderTheMmapWriteLock() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
        long addr = map(mm, f, 0, 4096, RW, MAP_SHARED, 0);
        VmArea vma = mm.vmaLookup(addr);
        assertThrows(IllegalStateException.class, () -> vma.vmFlagsSet(VmFlag.VM_MIXEDMAP));
        VmArea detached = new VmArea(Arch.X86_64, 0x1000, 0x3000, 5, java.util.Set.of());
        detached.vmFlagsSet(VmFlag.VM_IO);
        assertTrue(detached.hasFlag(VmFlag.VM_IO));
        assertNull(detached.vmMm());
    }
}
