package vfiowb.common.stagetests.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.mm.VmOperations;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.userspace.Mapping;

/**
 * The checks the drivers' mmap handlers keep on {@code vm_start} and {@code vm_end}, which no
 * mmap() reaches: {@code do_mmap} page-aligns the length and refuses an empty or wrapping range
 * before any handler runs. The C keeps them, so the model does, and a reviewer holding the two
 * side by side expects each one there and in the C's order: before the handler touches the VMA.
 * The VMA goes straight to the handler ({@link StageAdapter#driverMmap}: {@code mmap} up to
 * stage 3, {@code mmap_obj} with its cookie from stage 4, where the core's containment check,
 * which a wrapping VMA would fail first, is bypassed on purpose).
 *
 * <p>Each case first maps a page at the same file offset through mmap(), so the offset is one
 * the handler accepts and a refusal below comes from the VMA's shape alone.
 */
public abstract class DriverMmapChecksTests {
    private static final long BASE = 0x7f00_0000_0000L;
    private static final Set<VmFlag> SHARED_RW = EnumSet.of(VmFlag.VM_READ, VmFlag.VM_WRITE,
            VmFlag.VM_SHARED, VmFlag.VM_MAYSHARE);

    private final StageAdapter stage;

    protected DriverMmapChecksTests(StageAdapter stage) {
        this.stage = stage;
    }

    /**
     * One catalogue device and the handler's checks as its C has them.
     *
     * @param device the catalogue device
     * @param index a region the handler maps
     * @param page a page of that region the handler maps from (a page inside it where the C's
     *     own length test would refuse a negative length from the region's first page, and
     *     inside kvmgt's aperture slice)
     * @param endBelowStart what {@code vm_end < vm_start} answers (a positive errno)
     * @param edges whether the handler also refuses a start or end off a page boundary
     * @param function the C handler
     */
    record Case(String device, int index, long page, int endBelowStart, boolean edges,
            String function) {
        @Override
        public String toString() {
            return device + " (" + function + ")";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("legacy-b0", 0, 1, Errno.EINVAL, false, "vfio_pci_core_mmap"),
                new Case("platform-xgmac", 0, 0, Errno.EINVAL, true, "vfio_platform_mmap"),
                new Case("amba-pl011", 0, 0, Errno.EINVAL, true, "vfio_platform_mmap"),
                new Case("fsl-mc-dpio", 0, 1, Errno.EINVAL, true, "vfio_fsl_mc_mmap"),
                new Case("kvmgt-vgpu", 2, 0x4001, Errno.EINVAL, false, "intel_vgpu_mmap"),
                new Case("mbochs", 0, 0, Errno.EINVAL, false, "mbochs_mmap"),
                new Case("mdpy", 0, 0, Errno.EINVAL, false, "mdpy_mmap"),
                new Case("nvgrace-gh200", 2, 1, Errno.EOVERFLOW, false, "nvgrace_gpu_mmap"));
    }

    static Stream<Case> edgeCases() {
        return cases().filter(Case::edges);
    }

    /** REGION_INFO's offset, asked with the 32-byte head every driver's REGION_INFO takes. */
    private static long regionOffset(Dev d, Case c) {
        return d.region(c.index(), 32).info().offset();
    }

    private Dev open(Case c) {
        Dev d = NonPci.open(stage, Arch.X86_64, c.device());
        long page = d.arch().pageSize();
        long offset = regionOffset(d, c) + c.page() * page;
        Mapping m = d.mmapShared(page, offset);
        d.p().munmap(m.addr(), page);
        return d;
    }

    private static VmArea vma(Dev d, Case c, long start, long end) {
        long pgoff = (regionOffset(d, c) >>> d.arch().pageShift()) + c.page();
        return VmArea.withBoundsMmNeverBuilds(d.arch(), start, end, pgoff, SHARED_RW);
    }

    /** The handler refused before setting anything of the VMA. */
    private static void assertUntouched(VmArea vma, String what) {
        assertNull(vma.privateData(), what + ": vm_private_data");
        assertEquals(VmOperations.DUMMY, vma.vmOps(), what + ": vm_ops");
        assertEquals(PgProt.WB, vma.pageProt(), what + ": vm_page_prot");
        assertEquals(SHARED_RW, vma.vmFlags(), what + ": vm_flags");
    }

    /** {@code if (vma->vm_end < vma->vm_start) return -EINVAL;} (nvgrace: -EOVERFLOW). */
    @ParameterizedTest
    @MethodSource("cases")
    void anEndBelowTheStartIsRefusedFirst(Case c) {
        Dev d = open(c);
        long page = d.arch().pageSize();
        VmArea vma = vma(d, c, BASE + page, BASE);
        assertEquals(-c.endBelowStart(), stage.driverMmap(d.file(), vma), c.function());
        assertUntouched(vma, c.function());
    }

    /**
     * {@code vma->vm_start & ~PAGE_MASK} and {@code vma->vm_end & ~PAGE_MASK}, each -EINVAL, in
     * vfio_platform_mmap and vfio_fsl_mc_mmap.
     */
    @ParameterizedTest
    @MethodSource("edgeCases")
    void aStartOrEndOffAPageBoundaryIsEinval(Case c) {
        Dev d = open(c);
        long page = d.arch().pageSize();
        for (VmArea vma : List.of(vma(d, c, BASE + 8, BASE + page),
                vma(d, c, BASE, BASE + page - 8))) {
            assertEquals(-Errno.EINVAL, stage.driverMmap(d.file(), vma), c.function());
            assertUntouched(vma, c.function());
        }
    }
}
