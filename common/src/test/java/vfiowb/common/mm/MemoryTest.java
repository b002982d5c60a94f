package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.mm.PageTable.Level;

class MemoryTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final int RW = PROT_READ | PROT_WRITE;
    private static final long VA = 0x40_0000_0000L;

    /** Maps 4 MiB at VA (MAP_FIXED) and runs {@code body} as the driver's mmap handler. */
    private static MmStruct mapWith(Arch arch, int flags, ToIntFunction<VmArea> body) {
        MmStruct mm = new MmStruct(arch);
        long va = arch.is32Bit() ? 0x4000_0000L : VA;
        long ret = mm.doMmap(new TestFile(arch, body), va, 4 * MIB, RW, flags | MAP_FIXED, 0);
        assertFalse(Errno.isError(ret), () -> Errno.name((int) -ret));
        return mm;
    }

    private static VmArea pfnmapVma(MmStruct[] out, Arch arch, int flags) {
        VmArea[] vma = new VmArea[1];
        out[0] = mapWith(arch, flags, v -> {
            if ((flags & MAP_PRIVATE) == 0) {
                v.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP);
            }
            vma[0] = v;
            return 0;
        });
        return vma[0];
    }

    @Nested
    class InsertPfn {
        @Test
        void insertsOnePteAndIsIdempotent() {
            MmStruct[] mm = new MmStruct[1];
            VmArea vma = pfnmapVma(mm, Arch.X86_64, MAP_SHARED);
            assertEquals(VmFaultResult.NOPAGE, Memory.vmfInsertPfn(vma, VA + 4096, 0x1234));
            assertEquals(VmFaultResult.NOPAGE, Memory.vmfInsertPfn(vma, VA + 4096, 0x9999));
            PageTable.Entry e = mm[0].pageTable().lookup(VA + 4096);
            assertEquals(0x1234, e.pfn());
            assertTrue(e.special() && e.writable());
        }

        @Test
        void outsideTheVmaIsSigbus() {
            MmStruct[] mm = new MmStruct[1];
            VmArea vma = pfnmapVma(mm, Arch.X86_64, MAP_SHARED);
            assertEquals(VmFaultResult.SIGBUS, Memory.vmfInsertPfn(vma, VA + 4 * MIB, 1));
        }

        @Test
        void theBugOnsNoModelledDriverReachesAreModelBugs() {
            MmStruct[] mm = new MmStruct[1];
            VmArea plain = pfnmapVma(mm, Arch.X86_64, MAP_PRIVATE);
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfn(plain, VA, 1));
            VmArea both = mapVmaWith(Arch.X86_64, MAP_SHARED, VmFlag.VM_PFNMAP, VmFlag.VM_MIXEDMAP);
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfn(both, VA, 1));
            VmArea detached = new VmArea(Arch.X86_64, VA, VA + 4096, 0, EnumSet.of(VmFlag.VM_PFNMAP,
                    VmFlag.VM_SHARED));
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfn(detached, VA, 1));
        }

        /** nvgrace-gpu reaches this one from userspace: it is a kernel bug, not a model bug. */
        @Test
        void aPfnIntoAPrivatePfnmapIsTheKernelsBugOn() {
            VmArea cow = mapVmaWith(Arch.X86_64, MAP_PRIVATE, VmFlag.VM_PFNMAP);
            KernelBug pte = assertThrows(KernelBugException.class,
                    () -> Memory.vmfInsertPfn(cow, VA, 1)).bug();
            assertEquals("mm/memory.c:vmf_insert_pfn_prot", pte.function());
            assertEquals(KernelBug.Kind.BUG_ON, pte.kind());
            assertTrue(cow.vmMm().pageTable().entries(VA, VA + 4096).isEmpty(), "nothing installed");
            KernelBug pmd = assertThrows(KernelBugException.class, () -> Memory.vmfInsertPfnPmd(
                    new VmFault(cow, VA, false, Arch.X86_64.pmdOrder()), 0, false)).bug();
            assertEquals("mm/huge_memory.c:vmf_insert_pfn_pmd", pmd.function());
            VmArea shared = mapVmaWith(Arch.X86_64, MAP_SHARED, VmFlag.VM_PFNMAP);
            assertEquals(VmFaultResult.NOPAGE, Memory.vmfInsertPfn(shared, VA, 1));
        }
    }

    private static VmArea mapVmaWith(Arch arch, int flags, VmFlag... set) {
        VmArea[] vma = new VmArea[1];
        mapWith(arch, flags, v -> {
            v.vmFlagsSet(set);
            vma[0] = v;
            return 0;
        });
        return vma[0];
    }

    @Nested
    class InsertHuge {
        @Test
        void pmdAndPudEntriesAreOneEachAndWriteFollowsTheProtection() {
            VmArea vma = mapVmaWith(Arch.X86_64, MAP_SHARED, VmFlag.VM_PFNMAP);
            VmFault vmf = new VmFault(vma, VA + 2 * MIB + 0x123, false, 9);
            assertEquals(VA + 2 * MIB, vmf.address());
            assertEquals(512, vmf.pgoff());
            assertEquals(VmFaultResult.NOPAGE, Memory.vmfInsertPfnPmd(vmf, 0x10_0000 + 512, false));
            assertEquals(Map.of(Level.PTE, 0L, Level.PMD, 1L, Level.PUD, 0L),
                    vma.vmMm().pageTable().entriesByLevel());
            assertTrue(vma.vmMm().pageTable().lookup(VA + 3 * MIB).writable());
        }

        /**
         * insert_pfn_pmd makes the entry writable for a write fault in a VM_WRITE VMA
         * (maybe_pmd_mkwrite) even where vm_page_prot is read-only (a private VM_MIXEDMAP one);
         * a read fault there leaves it read-only.
         */
        @Test
        void aWriteFaultMakesTheHugeEntryWritableInAWritableVma() {
            VmArea vma = mapVmaWith(Arch.X86_64, MAP_PRIVATE, VmFlag.VM_MIXEDMAP);
            PageTable pt = vma.vmMm().pageTable();
            assertEquals(VmFaultResult.NOPAGE, Memory.vmfInsertPfnPmd(
                    new VmFault(vma, VA, true, 9), 0x10_0000, true));
            assertTrue(pt.lookup(VA).writable());
            assertEquals(VmFaultResult.NOPAGE, Memory.vmfInsertPfnPmd(
                    new VmFault(vma, VA + 2 * MIB, false, 9), 0x10_0200, false));
            assertFalse(pt.lookup(VA + 2 * MIB).writable());
            assertEquals(VA, vma.vmStart(), "a block starting at vm_start is inside the VMA");
        }

        @Test
        void misuseIsAModelBug() {
            VmArea vma = mapVmaWith(Arch.X86_64, MAP_SHARED, VmFlag.VM_PFNMAP);
            VmFault pmd = new VmFault(vma, VA, false, 9);
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfnPmd(pmd, 1, false),
                    "unaligned pfn");
            VmFault pud = new VmFault(vma, VA, false, 18);
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfnPud(pud, 0, false),
                    "block leaves the 4 MiB VMA");
            VmFault small = new VmFault(vma, VA + 4096, false, 0);
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfnPmd(small, 0, false),
                    "address not PMD aligned");
            VmArea arm = mapVmaWith(Arch.ARM64_4K, MAP_SHARED, VmFlag.VM_PFNMAP);
            VmFault armPud = new VmFault(arm, VA, false, 18);
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfnPud(armPud, 0, false),
                    "no PUD pfnmap on arm64");
            VmArea i386 = mapVmaWith(Arch.I386, MAP_SHARED, VmFlag.VM_PFNMAP);
            VmFault i386Pmd = new VmFault(i386, 0x4000_0000L, false, 9);
            assertThrows(IllegalStateException.class, () -> Memory.vmfInsertPfnPmd(i386Pmd, 0, false),
                    "no huge pfnmap on i386");
        }

        @Test
        void aBlockStartingBelowTheVmaIsSigbus() {
            MmStruct mm = new MmStruct(Arch.X86_64);
            VmArea[] vma = new VmArea[1];
            mm.doMmap(new TestFile(Arch.X86_64, v -> {
                v.vmFlagsSet(VmFlag.VM_PFNMAP);
                vma[0] = v;
                return 0;
            }), VA + 4096, 4 * MIB, RW, MAP_SHARED | MAP_FIXED, 0);
            VmFault vmf = new VmFault(vma[0], VA + 8192, false, 9);
            assertEquals(VA, vmf.address());
            assertEquals(VmFaultResult.SIGBUS, Memory.vmfInsertPfnPmd(vmf, 0, false));
        }
    }

    @Nested
    class RemapPfnRange {
        @Test
        void installsPtesForTheWholeRangeAndMarksTheVma() {
            VmArea[] vma = new VmArea[1];
            MmStruct mm = mapWith(Arch.X86_64, MAP_SHARED, v -> {
                vma[0] = v;
                return Memory.remapPfnRange(v, v.vmStart(), 0x4_0000, v.length(), PgProt.UC);
            });
            assertEquals(1024, mm.pageTable().entriesByLevel().get(Level.PTE));
            assertTrue(vma[0].vmFlags().containsAll(EnumSet.of(VmFlag.VM_IO, VmFlag.VM_PFNMAP,
                    VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP)));
            assertEquals(0x4_0000L * 4096 + 5, mm.pageTable().translate(VA + 5).getAsLong());
        }

        @Test
        void badArgumentsAreEinvalLikeTheKernel() {
            int[] ret = new int[2];
            mapWith(Arch.X86_64, MAP_SHARED, v -> {
                ret[0] = Memory.remapPfnRange(v, v.vmStart() + 1, 0, 4096, PgProt.UC);
                return 0;
            });
            mapWith(Arch.X86_64, MAP_PRIVATE, v -> {
                ret[1] = Memory.remapPfnRange(v, v.vmStart(), 0, 4096, PgProt.UC);
                return 0;
            });
            assertEquals(-Errno.EINVAL, ret[0]);
            assertEquals(-Errno.EINVAL, ret[1], "a COW mapping must be remapped whole");
        }

        /** io_remap_pfn_range passes remap_pfn_range's errno back. */
        @Test
        void ioRemapPfnRangeReturnsTheErrno() {
            int[] ret = new int[1];
            mapWith(Arch.X86_64, MAP_PRIVATE, v -> {
                ret[0] = Memory.ioRemapPfnRange(v, v.vmStart(), 0, 4096, PgProt.UC);
                return 0;
            });
            assertEquals(-Errno.EINVAL, ret[0]);
        }

        @Test
        void aWholeCowMappingGetsItsPgoffReplacedByThePfn() {
            VmArea[] vma = new VmArea[1];
            mapWith(Arch.X86_64, MAP_PRIVATE, v -> {
                vma[0] = v;
                return Memory.ioRemapPfnRange(v, v.vmStart(), 0x777, v.length(), PgProt.DEVICE);
            });
            assertEquals(0x777, vma[0].vmPgoff());
        }

        @Test
        void overlappingOrOutOfRangeIsAModelBug() {
            assertThrows(IllegalStateException.class, () -> mapWith(Arch.X86_64, MAP_SHARED, v -> {
                Memory.remapPfnRange(v, v.vmStart(), 0, 4096, PgProt.UC);
                return Memory.remapPfnRange(v, v.vmStart(), 0, 4096, PgProt.UC);
            }));
            assertThrows(IllegalStateException.class, () -> mapWith(Arch.X86_64, MAP_SHARED,
                    v -> Memory.remapPfnRange(v, v.vmStart(), 0, v.length() + 4096, PgProt.UC)));
        }
    }

    @Nested
    class PageBacked {
        @Test
        void vmInsertPageMarksMixedmapAndRefusesTwice() {
            int[] ret = new int[3];
            VmArea[] vma = new VmArea[1];
            MmStruct mm = mapWith(Arch.X86_64, MAP_SHARED, v -> {
                vma[0] = v;
                ret[0] = Memory.vmInsertPage(v, v.vmStart(), 0x1_0000_0000L);
                ret[1] = Memory.vmInsertPage(v, v.vmStart(), 0x1_0000_1000L);
                ret[2] = Memory.vmInsertPage(v, v.vmEnd(), 0x1_0000_1000L);
                return 0;
            });
            assertEquals(0, ret[0]);
            assertEquals(-Errno.EBUSY, ret[1]);
            assertEquals(-Errno.EFAULT, ret[2]);
            assertTrue(vma[0].hasFlag(VmFlag.VM_MIXEDMAP));
            assertFalse(mm.pageTable().lookup(VA).special());
        }

        @Test
        void vmInsertPageFromAFaultIsAModelBug() {
            VmOperations ops = new VmOperations() {
                @Override
                public VmFaultResult fault(VmFault vmf) {
                    Memory.vmInsertPage(vmf.vma(), vmf.address(), 0x1_0000_0000L);
                    return VmFaultResult.NOPAGE;
                }

                @Override
                public String name() {
                    return "bad_ops";
                }
            };
            MmStruct mm = mapWith(Arch.X86_64, MAP_SHARED, v -> {
                v.setVmOps(ops);
                return 0;
            });
            assertThrows(IllegalStateException.class, () -> mm.handleMmFault(VA, false),
                    "vm_flags_set needs the mmap write lock");
        }

        @Test
        void vmInsertPageIntoAPfnmapIsAModelBug() {
            assertThrows(IllegalStateException.class, () -> mapWith(Arch.X86_64, MAP_SHARED, v -> {
                v.vmFlagsSet(VmFlag.VM_PFNMAP);
                return Memory.vmInsertPage(v, v.vmStart(), 0);
            }));
        }

        @Test
        void remapVmallocRangeMapsTheWholeVmaOrRefuses() {
            int[] ret = new int[1];
            MmStruct mm = mapWith(Arch.X86_64, MAP_SHARED, v -> {
                ret[0] = Memory.remapVmallocRange(v, 0x2_0000_0000L, 4 * MIB, 1);
                return 0;
            });
            assertEquals(-Errno.EINVAL, ret[0], "page 1 + 4 MiB does not fit a 4 MiB buffer");
            assertEquals(0, mm.pageTable().totalEntries());
            VmArea[] vma = new VmArea[1];
            MmStruct ok = mapWith(Arch.X86_64, MAP_SHARED, v -> {
                vma[0] = v;
                return Memory.remapVmallocRange(v, 0x2_0000_0000L, 8 * MIB, 1);
            });
            assertEquals(1024, ok.pageTable().totalEntries());
            assertEquals(0x2_0000_1000L, ok.pageTable().translate(VA).getAsLong());
            assertTrue(vma[0].vmFlags().containsAll(EnumSet.of(VmFlag.VM_MIXEDMAP,
                    VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP)));
        }
    }

    @Nested
    class Zap {
        @Test
        void zapVmaPtesOnlyActsOnPfnmapRangesInsideTheVma() {
            VmArea[] vma = new VmArea[1];
            MmStruct mm = mapWith(Arch.X86_64, MAP_SHARED, v -> {
                vma[0] = v;
                return Memory.remapPfnRange(v, v.vmStart(), 0, v.length(), PgProt.UC);
            });
            Memory.zapVmaPtes(vma[0], VA, 8 * MIB);
            assertEquals(1024, mm.pageTable().totalEntries(), "range leaves the VMA: no-op");
            Memory.zapVmaPtes(vma[0], VA, 8192);
            assertEquals(1022, mm.pageTable().totalEntries());
            assertNull(mm.pageTable().lookup(VA + 4096));
            assertNotNull(mm.pageTable().lookup(VA + 8192));
        }
    }

    @Test
    void vmaCountsAndPgoffAccessors() {
        AtomicInteger calls = new AtomicInteger();
        VmArea[] vma = new VmArea[1];
        mapWith(Arch.ARM64_64K, MAP_SHARED, v -> {
            calls.incrementAndGet();
            vma[0] = v;
            return 0;
        });
        assertEquals(1, calls.get());
        assertEquals(4 * MIB, vma[0].length());
        assertEquals(64, vma[0].vmaPages());
        vma[0].setVmPgoff(GIB);
        assertEquals(GIB, vma[0].vmPgoff());
        VmArea small = new VmArea(Arch.I386, 0x1000, 0x2000, 0, EnumSet.noneOf(VmFlag.class));
        assertThrows(IllegalStateException.class, () -> small.setVmPgoff(1L << 32));
    }
}
