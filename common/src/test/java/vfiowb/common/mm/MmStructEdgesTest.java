package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_ANONYMOUS;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.MAP_SHARED_VALIDATE;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;

/**
 * The edges of mm/mmap.c and mm/vma.c the other mm tests leave: do_mmap's argument checks and
 * anonymous pgoff, round_hint_to_min, the hint and gap search of
 * generic_get_unmapped_area_topdown and its bottom-up fallback, find_vma, do_vmi_munmap's range
 * checks and the two one-sided splits, mmap_region undoing a failed driver mmap, and
 * handle_mm_fault finding an entry already there.
 */
class MmStructEdgesTest {
    private static final long PAGE = 4096;
    private static final int RW = PROT_READ | PROT_WRITE;
    private static final long VA = 0x10_0000_0000L;

    private final RecordingOps ops = new RecordingOps(0x100_0000L);
    private final TestFile file = TestFile.pfnmap(Arch.X86_64, ops);

    private static long ok(long ret) {
        assertFalse(Errno.isError(ret), () -> Errno.name((int) -ret));
        return ret;
    }

    @Nested
    class DoMmapChecks {
        private final MmStruct mm = new MmStruct(Arch.X86_64);

        /** PAGE_ALIGN(len) that wraps to 0 is -ENOMEM, on 64 and on 32 bits. */
        @Test
        void aLengthWhosePageAlignmentWrapsIsEnomem() {
            assertEquals(-Errno.ENOMEM, mm.doMmap(file, 0, -1L, RW, MAP_SHARED, 0));
            MmStruct i386 = new MmStruct(Arch.I386);
            TestFile f = TestFile.pfnmap(Arch.I386, ops);
            assertEquals(-Errno.ENOMEM, i386.doMmap(f, 0, 0xFFFF_F001L, RW, MAP_SHARED, 0));
            assertEquals(-Errno.EINVAL, mm.doMmap(file, 0, 0, RW, MAP_SHARED, 0), "len 0");
        }

        /**
         * {@code pgoff + (len >> PAGE_SHIFT) < pgoff}: -EOVERFLOW for any mapping, anonymous
         * ones too (file_mmap_ok() is never asked for those).
         */
        @Test
        void aPgoffRangeThatWrapsIsEoverflowEvenWithoutAFile() {
            assertEquals(-Errno.EOVERFLOW, mm.doMmap(null, 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1L));
            ok(mm.doMmap(null, 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -2L));
            MmStruct i386 = new MmStruct(Arch.I386);
            assertEquals(-Errno.EOVERFLOW, i386.doMmap(null, 0, 2 * PAGE, RW,
                    MAP_PRIVATE | MAP_ANONYMOUS, 0xFFFF_FFFFL));
            ok(i386.doMmap(null, 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, 0xFFFF_FFFEL));
        }

        /**
         * Anonymous memory: MAP_SHARED ignores pgoff (0), MAP_PRIVATE takes it from the address
         * (for anon_vma), any other type is -EINVAL.
         */
        @Test
        void anonymousPgoffFollowsTheMappingType() {
            long shared = ok(mm.doMmap(null, 0, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, 77));
            assertEquals(0, mm.vmaLookup(shared).vmPgoff());
            assertTrue(mm.vmaLookup(shared).hasFlag(VmFlag.VM_SHARED));
            assertTrue(mm.vmaLookup(shared).hasFlag(VmFlag.VM_MAYSHARE));
            long priv = ok(mm.doMmap(null, 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, 77));
            assertEquals(priv >>> 12, mm.vmaLookup(priv).vmPgoff());
            assertFalse(mm.vmaLookup(priv).hasFlag(VmFlag.VM_SHARED));
            assertFalse(mm.vmaLookup(priv).hasFlag(VmFlag.VM_MAYSHARE));
            assertEquals(-Errno.EINVAL, mm.doMmap(null, 0, PAGE, RW,
                    MAP_SHARED_VALIDATE | MAP_ANONYMOUS, 0));
            assertEquals(-Errno.EINVAL, mm.doMmap(null, 0, PAGE, RW, MAP_ANONYMOUS, 0));
            assertEquals(2, mm.mapCount());
        }

        /** A file mapping of type 0 is -EINVAL; MAP_SHARED sets VM_SHARED and VM_MAYSHARE. */
        @Test
        void aFileMappingNeedsAType() {
            assertEquals(-Errno.EINVAL, mm.doMmap(file, 0, PAGE, RW, 0, 0));
            assertEquals(-Errno.EINVAL, mm.doMmap(file, 0, PAGE, RW, 0x0f, 0));
            assertEquals(List.of(), file.mmapped);
            long a = ok(mm.doMmap(file, 0, PAGE, RW, MAP_SHARED_VALIDATE, 0));
            assertTrue(mm.vmaLookup(a).vmFlags().containsAll(
                    List.of(VmFlag.VM_SHARED, VmFlag.VM_MAYSHARE, VmFlag.VM_READ, VmFlag.VM_WRITE)));
            assertFalse(mm.vmaLookup(a).hasFlag(VmFlag.VM_EXEC));
        }

        /** A file without f_op->mmap: -ENODEV for either type, nothing kept. */
        @Test
        void aFileWithoutMmapIsEnodev() {
            TestFile noMmap = new TestFile(Arch.X86_64, v -> 0);
            noMmap.canMmap = false;
            assertEquals(-Errno.ENODEV, mm.doMmap(noMmap, 0, PAGE, RW, MAP_SHARED, 0));
            assertEquals(-Errno.ENODEV, mm.doMmap(noMmap, 0, PAGE, RW, MAP_PRIVATE, 0));
            assertEquals(List.of(), noMmap.mmapped);
            assertEquals(1, noMmap.refs.get());
            assertEquals(0, mm.mapCount());
        }

        /**
         * round_hint_to_min: a hint is page-aligned down, and one below mmap_min_addr moves up to
         * it; then get_unmapped_area honours it if free.
         */
        @Test
        void aLowHintMovesUpToMmapMinAddr() {
            assertEquals(mm.mmapMinAddr(), ok(mm.doMmap(file, PAGE, PAGE, RW, MAP_SHARED, 0)));
            assertEquals(VA, ok(mm.doMmap(file, VA + 0x123, PAGE, RW, MAP_SHARED, 0)));
        }

        /**
         * sysctl_max_map_count (65530): past it, -ENOMEM. (Where exactly the kernel draws the
         * line, {@code >} or {@code >=}, is a known difference the model leaves.)
         */
        @Test
        void tooManyMappingsIsEnomem() {
            for (long i = 0; i < 65_530; i++) {
                ok(mm.doMmap(null, VA + 2 * i * PAGE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                        0));
            }
            mm.doMmap(null, 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, 0);
            assertEquals(-Errno.ENOMEM, mm.doMmap(null, 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, 0));
            assertEquals(-Errno.ENOMEM, mm.doMmap(file, 0, PAGE, RW, MAP_SHARED, 0));
            assertEquals(List.of(), file.mmapped);
        }
    }

    @Nested
    class Placement {
        private final MmStruct mm = new MmStruct(Arch.X86_64);

        /**
         * generic_get_unmapped_area_topdown honours a page-aligned (rounded up) hint if
         * {@code mmap_end - len >= addr}, {@code addr >= mmap_min_addr} and the range touches no
         * VMA (ending exactly where one starts, or starting where one ends, is fine).
         */
        @Test
        void theHintsBounds() {
            long top = mm.taskSize();
            assertEquals(top - 2 * PAGE, mm.getUnmappedArea(null, top - 2 * PAGE, 2 * PAGE, 0, 0));
            assertEquals(mm.mmapBase() - 2 * PAGE, mm.getUnmappedArea(null, top - PAGE, 2 * PAGE, 0, 0),
                    "a hint that does not fit below mmap_end is searched past, top-down");
            assertEquals(mm.mmapMinAddr(), mm.getUnmappedArea(null, mm.mmapMinAddr(), PAGE, 0, 0));
            assertNotEquals(mm.mmapMinAddr() - PAGE,
                    mm.getUnmappedArea(null, mm.mmapMinAddr() - PAGE, PAGE, 0, 0));
            assertEquals(VA + PAGE, mm.getUnmappedArea(null, VA + 1, PAGE, 0, 0), "rounded up");
            ok(mm.doMmap(file, VA, 2 * PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
            assertEquals(VA - PAGE, mm.getUnmappedArea(null, VA - PAGE, PAGE, 0, 0));
            assertEquals(VA + 2 * PAGE, mm.getUnmappedArea(null, VA + 2 * PAGE, PAGE, 0, 0));
            assertNotEquals(VA - PAGE, mm.getUnmappedArea(null, VA - PAGE, 2 * PAGE, 0, 0));
            assertNotEquals(VA + PAGE, mm.getUnmappedArea(null, VA + PAGE, PAGE, 0, 0));
        }

        /** Top-down: the highest gap below mmap_base that fits, exactly fitting ones included. */
        @Test
        void theHighestGapThatFitsIsTaken() {
            long base = mm.mmapBase();
            ok(mm.doMmap(null, base - 4 * PAGE, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0));
            ok(mm.doMmap(null, base - 9 * PAGE, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0));
            // free: [base-2p, base) 2 pages, [base-7p, base-4p) 3 pages, below base-9p
            assertEquals(base - 7 * PAGE, mm.getUnmappedArea(null, 0, 3 * PAGE, 0, 0));
            assertEquals(base - 2 * PAGE, mm.getUnmappedArea(null, 0, 2 * PAGE, 0, 0));
            assertEquals(base - 13 * PAGE, mm.getUnmappedArea(null, 0, 4 * PAGE, 0, 0));
            ok(mm.doMmap(null, base - 2 * PAGE, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0));
            assertEquals(base - 5 * PAGE, mm.getUnmappedArea(null, 0, PAGE, 0, 0));
        }

        /**
         * When nothing below mmap_base fits, the kernel falls back to a bottom-up search from
         * TASK_UNMAPPED_BASE (TASK_SIZE / 3) to TASK_SIZE, which finds the stack gap above
         * mmap_base; exactly fitting gaps count, at the very top too.
         */
        @Test
        void aFullLowerSpaceFallsBackToBottomUpAboveMmapBase() {
            MmStruct i386 = new MmStruct(Arch.I386);
            long base = i386.mmapBase();
            long min = i386.mmapMinAddr();
            int anonFixed = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
            ok(i386.doMmap(null, min, PAGE, RW, anonFixed, 0));
            ok(i386.doMmap(null, min + 2 * PAGE, base - min - 2 * PAGE, RW, anonFixed, 0));
            assertEquals(min + PAGE, i386.getUnmappedArea(null, 0, PAGE, 0, 0), "the one-page hole");
            assertEquals(base, i386.getUnmappedArea(null, 0, 2 * PAGE, 0, 0));
            ok(i386.doMmap(null, base + 2 * PAGE, PAGE, RW, anonFixed, 0));
            assertEquals(base + 3 * PAGE, i386.getUnmappedArea(null, 0, 3 * PAGE, 0, 0));
            assertEquals(base, i386.getUnmappedArea(null, 0, 2 * PAGE, 0, 0));
            long rest = i386.taskSize() - base - 3 * PAGE;
            assertEquals(base + 3 * PAGE, i386.getUnmappedArea(null, 0, rest, 0, 0));
            assertEquals(-Errno.ENOMEM, i386.getUnmappedArea(null, 0, rest + PAGE, 0, 0));
        }

        /** find_vma: the VMA containing addr, else the first above it, else none. */
        @Test
        void findVmaReturnsTheNextOneAbove() {
            ok(mm.doMmap(file, VA, PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
            ok(mm.doMmap(file, VA + 4 * PAGE, PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
            assertEquals(VA, mm.findVma(0).vmStart());
            assertEquals(VA, mm.findVma(VA + PAGE - 1).vmStart());
            assertEquals(VA + 4 * PAGE, mm.findVma(VA + PAGE).vmStart());
            assertNull(mm.findVma(VA + 5 * PAGE));
            assertNull(mm.vmaLookup(VA + PAGE));
        }
    }

    @Nested
    class Munmap {
        private final MmStruct mm = new MmStruct(Arch.X86_64);

        /**
         * do_vmi_munmap: -EINVAL when start is past TASK_SIZE or len past TASK_SIZE - start; the
         * last page of user space itself can be unmapped; len is rounded up to pages.
         */
        @Test
        void theRangeMustStayInUserSpace() {
            long top = mm.taskSize();
            assertEquals(-Errno.EINVAL, mm.doMunmap(top + PAGE, PAGE));
            assertEquals(-Errno.EINVAL, mm.doMunmap(top, PAGE));
            assertEquals(0, mm.doMunmap(top - PAGE, PAGE));
            ok(mm.doMmap(file, VA, 2 * PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
            assertEquals(0, mm.doMunmap(VA, 1));
            assertNull(mm.vmaLookup(VA));
            assertEquals(VA + PAGE, mm.vmaLookup(VA + PAGE).vmStart());
        }

        /**
         * Unmapping the head: __split_vma(vma, end, new_below = 0) makes a new VMA of the part
         * from the range's end on (->open); the original is the unmapped part (->close). The
         * tail keeps the pgoff of its first page.
         */
        @Test
        void unmappingTheHeadKeepsTheTailAsANewVma() {
            ok(mm.doMmap(file, VA, 3 * PAGE, RW, MAP_SHARED | MAP_FIXED, 10));
            VmArea original = mm.vmaLookup(VA);
            assertEquals(0, mm.doMunmap(VA, PAGE));
            VmArea tail = mm.vmaLookup(VA + PAGE);
            assertEquals(VA + PAGE, tail.vmStart());
            assertEquals(VA + 3 * PAGE, tail.vmEnd());
            assertEquals(11, tail.vmPgoff());
            assertEquals(List.of(tail), ops.opened);
            assertEquals(List.of(original), ops.closed);
            assertEquals(VA, original.vmStart(), "->close sees the part unmapped");
            assertEquals(VA + PAGE, original.vmEnd());
            assertEquals(10, original.vmPgoff());
            assertEquals(List.of(tail), file.mapping.vmas());
            assertEquals(2, file.refs.get());
        }

        /** Unmapping the tail: __split_vma(vma, start, new_below = 1), the head is the new VMA. */
        @Test
        void unmappingTheTailKeepsTheHeadAsANewVma() {
            ok(mm.doMmap(file, VA, 3 * PAGE, RW, MAP_SHARED | MAP_FIXED, 10));
            VmArea original = mm.vmaLookup(VA);
            mm.handleMmFault(VA, false);
            mm.handleMmFault(VA + 2 * PAGE, false);
            assertEquals(0, mm.doMunmap(VA + 2 * PAGE, 5 * PAGE));
            VmArea head = mm.vmaLookup(VA);
            assertEquals(VA, head.vmStart());
            assertEquals(VA + 2 * PAGE, head.vmEnd());
            assertEquals(10, head.vmPgoff());
            assertEquals(List.of(head), ops.opened);
            assertEquals(List.of(original), ops.closed);
            assertEquals(VA + 2 * PAGE, original.vmStart(), "->close sees the part unmapped");
            assertEquals(VA + 3 * PAGE, original.vmEnd());
            assertEquals(12, original.vmPgoff());
            assertEquals(1, mm.pageTable().totalEntries());
            assertEquals(1, mm.mapCount());
        }

        /** The middle of an anonymous mapping goes the same way: two VMAs are left. */
        @Test
        void unmappingTheMiddleOfAnonymousMemory() {
            ok(mm.doMmap(null, VA, 3 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0));
            assertEquals(0, mm.doMunmap(VA + PAGE, PAGE));
            assertEquals(2, mm.mapCount());
            assertEquals(VA + PAGE, mm.vmaLookup(VA).vmEnd());
            assertEquals(VA + 2 * PAGE, mm.vmaLookup(VA + 2 * PAGE).vmStart());
            assertNull(mm.vmaLookup(VA + PAGE));
        }

        /** A range that starts where a VMA ends does not touch that VMA. */
        @Test
        void aHoleRightAfterAVmaLeavesItAlone() {
            ok(mm.doMmap(file, VA, PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
            VmArea v = mm.vmaLookup(VA);
            assertEquals(0, mm.doMunmap(VA + PAGE, PAGE));
            assertSame(v, mm.vmaLookup(VA));
            assertEquals(List.of(), ops.opened);
            assertEquals(List.of(), ops.closed);
        }

        /**
         * free_pgtables frees only tables no VMA uses any more: the PTE table under a VMA's
         * remaining page survives an munmap of its neighbour and a zap, so the next fault there is
         * offered no huge order (pud_none and pmd_none are false).
         */
        @Test
        void aTableAVmaStillUsesIsKept() {
            ok(mm.doMmap(file, VA, 2 * PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
            mm.handleMmFault(VA, false);
            mm.handleMmFault(VA + PAGE, false);
            assertEquals(0, mm.doMunmap(VA + PAGE, PAGE));
            assertEquals(1, mm.pageTable().pteTableCount());
            file.mapping.unmapMappingRange(0, 0, true);
            ops.offered.clear();
            assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA, false));
            assertEquals(List.of(0), ops.offered);
            assertEquals(0, mm.doMunmap(VA, PAGE));
            assertEquals(0, mm.pageTable().pteTableCount());
            assertEquals(0, mm.pageTable().pmdTableCount());
        }

        /** exit_mmap of an empty mm does nothing. */
        @Test
        void exitOfAnEmptyMm() {
            mm.exitMmap();
            assertEquals(0, mm.mapCount());
        }
    }

    /**
     * mmap_region: when the driver's mmap fails, its errno comes back and what it installed is
     * undone (entries cleared, tables freed), the file reference dropped, nothing linked; a
     * mapping MAP_FIXED displaced stays gone.
     */
    @Test
    void aFailedDriverMmapLeavesNothing() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        ok(mm.doMmap(file, VA, PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
        TestFile failing = new TestFile(Arch.X86_64, v -> {
            Memory.remapPfnRange(v, v.vmStart(), 0x1000, v.length(), PgProt.UC);
            return -Errno.EAGAIN;
        });
        assertEquals(-Errno.EAGAIN, mm.doMmap(failing, VA, 2 * PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
        assertEquals(0, mm.mapCount());
        assertEquals(0, mm.pageTable().totalEntries());
        assertEquals(0, mm.pageTable().pteTableCount());
        assertEquals(0, mm.pageTable().pmdTableCount());
        assertEquals(1, failing.refs.get());
        assertFalse(failing.mapping.mapped());
        assertEquals(1, ops.closed.size(), "the displaced mapping was closed");
        assertEquals(1, file.refs.get());
    }

    /** x86's access_error: on i386 as on x86_64 an exec-only mapping is readable. */
    @Test
    void execOnlyIsReadableOnI386() {
        MmStruct mm = new MmStruct(Arch.I386);
        TestFile f = TestFile.pfnmap(Arch.I386, new RecordingOps(0x1000));
        long a = ok(mm.doMmap(f, 0, PAGE, Mman.PROT_EXEC, MAP_SHARED, 0));
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(a, false));
        assertEquals(VmFaultResult.SIGSEGV, mm.handleMmFault(a, true));
    }

    /**
     * __handle_mm_fault allocates the PMD table (pmd_alloc) before it offers the PMD order, so
     * after a PUD fallback and a PMD-level SIGBUS the PUD slot is no longer none: the next fault
     * there is not offered the PUD order.
     */
    @Test
    void aPmdLevelAnswerLeavesThePmdTableBehind() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        List<Integer> offered = new java.util.ArrayList<>();
        VmOperations sigbus = new VmOperations() {
            @Override
            public VmFaultResult hugeFault(VmFault vmf, int order) {
                offered.add(order);
                return order == Arch.X86_64.pudOrder() ? VmFaultResult.FALLBACK : VmFaultResult.SIGBUS;
            }

            @Override
            public boolean hasHugeFault() {
                return true;
            }

            @Override
            public String name() {
                return "sigbus_ops";
            }
        };
        TestFile f = new TestFile(Arch.X86_64, v -> {
            v.vmFlagsSet(VmFlag.VM_PFNMAP);
            v.setVmOps(sigbus);
            return 0;
        });
        long gib = 1L << 30;
        ok(mm.doMmap(f, 16 * gib, gib, RW, MAP_SHARED | MAP_FIXED, 0));
        assertEquals(VmFaultResult.SIGBUS, mm.handleMmFault(16 * gib, false));
        assertEquals(List.of(18, 9), offered);
        offered.clear();
        assertEquals(VmFaultResult.SIGBUS, mm.handleMmFault(16 * gib, false));
        assertEquals(List.of(9), offered);
    }

    /** handle_mm_fault on an entry another thread installed: done, the handler is not called. */
    @Test
    void aFaultOnAPresentEntryCallsNoHandler() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        ok(mm.doMmap(file, VA, PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA, true));
        int offered = ops.offered.size();
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA + 8, true));
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA + 16, false));
        assertEquals(offered, ops.offered.size());
        assertEquals(3, mm.faultCount());
    }

    /**
     * dup_mmap copies the entries of VM_MIXEDMAP VMAs as of VM_PFNMAP ones (vma_needs_copy);
     * the child's mm places new mappings as its parent's did (dup_mm copies the mm_struct).
     */
    @Test
    void forkCopiesMixedmapEntries() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        mm.setUnmappedAreaPolicy(MmStruct.UnmappedAreaPolicy.PAGE);
        TestFile mixed = new TestFile(Arch.X86_64, v -> Memory.vmInsertPage(v, v.vmStart(),
                0x2_0000_0000L));
        ok(mm.doMmap(mixed, VA, 2 * PAGE, RW, MAP_SHARED | MAP_FIXED, 0));
        MmStruct child = mm.dupMmap();
        assertEquals(1, child.pageTable().totalEntries());
        assertEquals(0x2_0000_0000L, child.pageTable().translate(VA).getAsLong());
        assertSame(mixed, child.vmaLookup(VA).vmFile());
        assertEquals(MmStruct.UnmappedAreaPolicy.PAGE, child.unmappedAreaPolicy());
    }
}
