package vfiowb.common.kernelbugs;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import vfiowb.common.errno.KernelBug;

/**
 * The upstream kernel bugs the model knows and reports ({@link KernelBug}), as docs/kernel-bugs.md
 * lists them: tests accept a kernel bug as an outcome only if its function is one of these, so a
 * model change that starts reporting a new one must add it here and to the document.
 */
public final class KnownKernelBugs {
    /**
     * One upstream bug: the functions its reports name, their kind, a short name, and the last
     * stage of the series that still has it ({@link Integer#MAX_VALUE}: every stage).
     */
    public record Entry(String name, KernelBug.Kind kind, List<String> functions, int lastStage) {
        /** A bug every stage of the series keeps. */
        public Entry(String name, KernelBug.Kind kind, List<String> functions) {
            this(name, kind, functions, Integer.MAX_VALUE);
        }

        /** Whether stage {@code stage} still has the bug. */
        public boolean presentAt(int stage) {
            return stage <= lastStage;
        }
    }

    /**
     * mbochs: {@code mdev_access} subtracts the MMIO BAR's offset from a memory-BAR offset.
     * Stage 4 ("vfio/mbochs: Convert to the mmap cookie ops") takes the offset inside the object
     * from the core: nothing is subtracted any more.
     */
    public static final Entry MBOCHS_PAGES = new Entry("mbochs-pages-oob",
            KernelBug.Kind.OUT_OF_BOUNDS, List.of("samples/vfio-mdev/mbochs.c:__mbochs_get_page"),
            3);
    /** mtty: config reads {@code memcpy} from the 255-byte {@code vconfig} without a bound. */
    public static final Entry MTTY_VCONFIG = new Entry("mtty-vconfig-oob",
            KernelBug.Kind.OUT_OF_BOUNDS, List.of("samples/vfio-mdev/mtty.c:mdev_access"));
    /**
     * mtty: BAR2 to BAR5 index the two-entry {@code s[]}. From stage 4 ("vfio/mtty: Convert to
     * the mmap cookie ops") those regions, having no bytes, have no cookie, and the core refuses
     * their offsets before the sample sees them.
     */
    public static final Entry MTTY_PORTS = new Entry("mtty-serial-port-oob",
            KernelBug.Kind.OUT_OF_BOUNDS, List.of("samples/vfio-mdev/mtty.c:handle_bar_read",
                    "samples/vfio-mdev/mtty.c:handle_bar_write"), 3);
    /**
     * nvgrace-gpu: the fake-BAR mmap accepts {@code MAP_PRIVATE}; the first fault inserts a PFN
     * into a copy-on-write {@code VM_PFNMAP} VMA, at whichever order the fault is served.
     */
    public static final Entry NVGRACE_PRIVATE = new Entry("nvgrace-private-mapping",
            KernelBug.Kind.BUG_ON, List.of("mm/memory.c:vmf_insert_pfn_prot",
                    "mm/huge_memory.c:vmf_insert_pfn_pmd", "mm/huge_memory.c:vmf_insert_pfn_pud"));

    /**
     * kvmgt: the BAR, ROM, SWSCI and OpRegion cases of {@code intel_vgpu_emulate_cfg_write} read
     * a {@code u32} from {@code p_data} whatever the width, and a 1- or 2-byte write passes a
     * {@code u8} or {@code u16} from {@code intel_vgpu_write}'s stack.
     */
    public static final Entry KVMGT_CFG_SHORT_WRITE = new Entry("kvmgt-cfg-short-write-oob",
            KernelBug.Kind.OUT_OF_BOUNDS, List.of(
                    "drivers/gpu/drm/i915/gvt/cfg_space.c:emulate_pci_bar_write",
                    "drivers/gpu/drm/i915/gvt/cfg_space.c:emulate_pci_rom_bar_write",
                    "drivers/gpu/drm/i915/gvt/cfg_space.c:intel_vgpu_emulate_cfg_write"));

    /**
     * mtty, mbochs, mdpy: {@code handle_pci_cfg_write} reads a {@code u32} from the piece at a
     * BAR register whatever its width, and the samples' write paths pass a 1- or 2-byte piece
     * as a {@code u8} or {@code u16} on their stack, as kvmgt's does.
     */
    public static final Entry SAMPLES_CFG_SHORT_WRITE = new Entry(
            "mdev-samples-cfg-short-write-oob", KernelBug.Kind.OUT_OF_BOUNDS, List.of(
                    "samples/vfio-mdev/mtty.c:handle_pci_cfg_write",
                    "samples/vfio-mdev/mbochs.c:handle_pci_cfg_write",
                    "samples/vfio-mdev/mdpy.c:handle_pci_cfg_write"));

    /** Every known bug. */
    public static final List<Entry> ALL = List.of(MBOCHS_PAGES, MTTY_VCONFIG, MTTY_PORTS,
            NVGRACE_PRIVATE, KVMGT_CFG_SHORT_WRITE, SAMPLES_CFG_SHORT_WRITE);

    private KnownKernelBugs() {}

    /** Every function a known bug's report may name. */
    public static Set<String> functions() {
        return ALL.stream().flatMap(e -> e.functions().stream()).collect(Collectors.toSet());
    }

    /** Whether {@code bug} is one of these, by function and kind. */
    public static boolean known(KernelBug bug) {
        return ALL.stream().anyMatch(e -> e.kind() == bug.kind()
                && e.functions().contains(bug.function()));
    }
}
