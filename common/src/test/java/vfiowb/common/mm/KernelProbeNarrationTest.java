package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.lang.StackWalker.StackFrame;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vfiowb.common.Models;
import vfiowb.common.errno.Errno;
import vfiowb.common.trace.KernelProbe;

/**
 * The narration's contract with the mm model ({@code vfio-workbench walk}): a modelled kernel
 * function is shown when a probe point is reached while it is on the stack, so every mm
 * function a system call goes through must reach one, on its error paths too, and the VMA and
 * {@code vm_fault} accessors a driver's mmap or fault handler uses are probe points, so that a
 * handler which touches nothing else still shows the path that called it. The hook here
 * collects what the narration would show: the {@code @Models} names of every frame on the stack
 * at each probe.
 */
class KernelProbeNarrationTest {
    private static final StackWalker WALKER =
            StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final long VA = 0x40_0000_0000L;
    private static final long MIB = 1L << 20;

    private final Set<String> shown = new LinkedHashSet<>();

    @BeforeEach
    void install() {
        KernelProbe.install(this::probe);
    }

    @AfterEach
    void remove() {
        KernelProbe.install(null);
    }

    private void probe() {
        WALKER.forEach(f -> shown.addAll(Arrays.asList(modelsOf(f))));
    }

    private static String[] modelsOf(StackFrame f) {
        for (Method m : f.getDeclaringClass().getDeclaredMethods()) {
            if (m.getName().equals(f.getMethodName())
                    && Arrays.equals(m.getParameterTypes(), f.getMethodType().parameterArray())) {
                Models models = m.getAnnotation(Models.class);
                return models == null ? new String[0] : models.value();
            }
        }
        return new String[0];
    }

    /** An mmap of 4 MiB at VA whose driver handler is {@code body}; the handler's VMA. */
    private static VmArea mmapWith(MmStruct mm, ToIntFunction<VmArea> body) {
        return mmapWith(mm, 4 * MIB, body);
    }

    private static VmArea mmapWith(MmStruct mm, long length, ToIntFunction<VmArea> body) {
        VmArea[] vma = new VmArea[1];
        long ret = mm.doMmap(new TestFile(Arch.X86_64, v -> {
            vma[0] = v;
            return body.applyAsInt(v);
        }), VA, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0);
        assertFalse(Errno.isError(ret), () -> Errno.name((int) -ret));
        return vma[0];
    }

    private static final String DO_MMAP = "mm/mmap.c:do_mmap";
    private static final String FAULT = "mm/memory.c:handle_mm_fault";

    @Test
    void aHandlerThatTouchesNothingShowsNothing() {
        mmapWith(new MmStruct(Arch.X86_64), v -> 0);
        assertEquals(Set.of(), shown, "the baseline: do_mmap itself reaches no probe");
    }

    /** Each VMA accessor a driver's mmap handler may be the only one to use shows do_mmap. */
    @Test
    void everyVmaSetterShowsTheMmapPath() {
        ToIntFunction<VmArea>[] handlers = handlers();
        for (int i = 0; i < handlers.length; i++) {
            shown.clear();
            mmapWith(new MmStruct(Arch.X86_64), handlers[i]);
            assertTrue(shown.contains(DO_MMAP), "handler " + i + ": " + shown);
        }
    }

    @SuppressWarnings("unchecked")
    private static ToIntFunction<VmArea>[] handlers() {
        return new ToIntFunction[] {
            (ToIntFunction<VmArea>) v -> {
                v.vmFlagsSet(VmFlag.VM_IO);
                return 0;
            },
            (ToIntFunction<VmArea>) v -> {
                v.vmFlagsClear(VmFlag.VM_DONTDUMP);
                return 0;
            },
            (ToIntFunction<VmArea>) v -> {
                v.setPageProt(PgProt.UC);
                return 0;
            },
            (ToIntFunction<VmArea>) v -> {
                v.setVmOps(VmOperations.DUMMY);
                return 0;
            },
            (ToIntFunction<VmArea>) v -> {
                v.setPrivateData("driver");
                return 0;
            },
            (ToIntFunction<VmArea>) v -> {
                v.setVmPgoff(0);
                return 0;
            },
            (ToIntFunction<VmArea>) v -> v.vmPgoff() == 0 ? 0 : -Errno.EINVAL,
        };
    }

    /** A fault handler that only reads one field of the vm_fault still shows handle_mm_fault. */
    @Test
    void everyVmFaultAccessorShowsTheFaultPath() {
        String[] fields = {"vma", "address", "pgoff"};
        for (String field : fields) {
            MmStruct mm = new MmStruct(Arch.X86_64);
            VmOperations ops = new VmOperations() {
                @Override
                public VmFaultResult fault(VmFault vmf) {
                    switch (field) {
                        case "vma" -> vmf.vma();
                        case "address" -> vmf.address();
                        default -> vmf.pgoff();
                    }
                    return VmFaultResult.SIGBUS;
                }

                @Override
                public String name() {
                    return "probe_ops";
                }
            };
            mmapWith(mm, v -> {
                v.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP);
                v.setVmOps(ops);
                return 0;
            });
            shown.clear();
            assertEquals(VmFaultResult.SIGBUS, mm.handleMmFault(VA, false));
            assertTrue(shown.contains(FAULT), field + ": " + shown);
        }
    }

    /**
     * The insert, remap and zap functions show themselves even where they return at once:
     * a PFN outside the VMA (SIGBUS), a misaligned remap (-EINVAL), a page outside the VMA
     * (-EFAULT), a vmalloc offset past the buffer (-EINVAL), a zap outside the VMA (nothing),
     * an unmap of an empty mapping (nothing), and the huge inserts and finish_fault.
     */
    @Test
    void memoryFunctionsShowThemselvesOnTheirShortestPaths() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        VmArea[] pfn = new VmArea[1];
        int[] ret = new int[3];
        mmapWith(mm, v -> {
            v.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP);
            pfn[0] = v;
            return 0;
        });
        shown.clear();
        assertEquals(VmFaultResult.SIGBUS, Memory.vmfInsertPfnProt(pfn[0], VA + 8 * MIB, 1, PgProt.UC));
        assertEquals(Set.of("mm/memory.c:vmf_insert_pfn_prot"), shown);

        shown.clear();
        Memory.zapVmaPtes(pfn[0], VA - 4096, 4096);
        assertEquals(Set.of("mm/memory.c:zap_vma_ptes"), shown);

        shown.clear();
        Memory.unmapMappingRange(new AddressSpace(Arch.X86_64, "empty"), 0, 0, false);
        assertEquals(Set.of("mm/memory.c:unmap_mapping_range"), shown);

        shown.clear();
        VmFault pmd = new VmFault(pfn[0], VA, false, Arch.X86_64.pmdOrder());
        Memory.vmfInsertPfnPmd(pmd, 0x200, false);
        assertTrue(shown.contains("mm/huge_memory.c:vmf_insert_pfn_pmd"), shown.toString());
        VmArea big = mmapWith(new MmStruct(Arch.X86_64), 1L << 30, v -> {
            v.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP);
            return 0;
        });
        shown.clear();
        VmFault pud = new VmFault(big, VA, false, Arch.X86_64.pudOrder());
        Memory.vmfInsertPfnPud(pud, 0x40000, false);
        assertTrue(shown.contains("mm/huge_memory.c:vmf_insert_pfn_pud"), shown.toString());

        shown.clear();
        mmapWith(new MmStruct(Arch.X86_64), v -> {
            ret[0] = Memory.remapPfnRange(v, v.vmStart() + 1, 0, 4096, PgProt.UC);
            ret[1] = Memory.vmInsertPage(v, v.vmEnd(), 0x1_0000_0000L);
            ret[2] = Memory.remapVmallocRange(v, 0x2_0000_0000L, 4 * MIB, 1);
            return 0;
        });
        assertEquals(-Errno.EINVAL, ret[0]);
        assertEquals(-Errno.EFAULT, ret[1]);
        assertEquals(-Errno.EINVAL, ret[2]);
        assertTrue(shown.containsAll(Set.of(DO_MMAP, "mm/memory.c:remap_pfn_range",
                "mm/memory.c:vm_insert_page", "mm/vmalloc.c:remap_vmalloc_range")), shown.toString());
    }

    /** finish_fault, from a page-backed fault handler, shows itself. */
    @Test
    void finishFaultShowsItself() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        VmOperations ops = new VmOperations() {
            @Override
            public VmFaultResult fault(VmFault vmf) {
                shown.clear();
                return Memory.finishFault(vmf, 0x1_0000_0000L);
            }

            @Override
            public String name() {
                return "page_ops";
            }
        };
        mmapWith(mm, v -> {
            v.setVmOps(ops);
            return 0;
        });
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA, false));
        assertTrue(shown.contains("mm/memory.c:finish_fault"), shown.toString());
    }
}
