package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * How QEMU and DPDK map around an MSI-X table the kernel did not declare mappable
 * (userspace-clients §1.1 step 15, §1.2 step 9). Both are client decisions made from what
 * REGION_INFO and config space say; the kernel only answers the mmaps that follow.
 */
public final class MsixCarve {
    private MsixCarve() {}

    /** A byte range of a region: {@code [offset, offset + size)}. */
    public record Area(long offset, long size) {
        public long end() {
            return offset + size;
        }

        @Override
        public String toString() {
            return Fmt.hex(offset) + "+" + Fmt.hex(size);
        }
    }

    /**
     * {@code vfio_pci_fixup_msix_region}: with one area covering the whole region, cut out the
     * host-page-aligned table range [table & page_mask, PAGE_ALIGN(table + table size)). The
     * table at the start and reaching the end leaves nothing; at the start, the area after it;
     * reaching the end, the area before it; otherwise both.
     */
    public static List<Area> qemu(long regionSize, long tableOffset, long tableSize, long page) {
        long start = tableOffset & -page;
        long end = (tableOffset + tableSize + page - 1) & -page;
        List<Area> out = new ArrayList<>();
        if (start == 0) {
            if (end < regionSize) {
                out.add(new Area(end, regionSize - end));
            }
        } else if (end >= regionSize) {
            out.add(new Area(0, start));
        } else {
            out.add(new Area(0, start));
            out.add(new Area(end, regionSize - end));
        }
        return out;
    }

    /**
     * DPDK's plan for a BAR holding a table it may not map ({@code pci_vfio_mmap_bar}):
     * {@code tableStart} is the page-floored table offset clamped back up to the real offset
     * when flooring moved it, {@code tableEnd} the page-aligned end; {@code skip} when the table
     * starts the BAR and reaches its end; otherwise the non-empty parts to map, before and after
     * the table (the second only when the table ends inside the BAR).
     */
    public record DpdkPlan(long tableStart, long tableEnd, boolean skip, List<Area> parts) {}

    public static DpdkPlan dpdk(long barSize, long tableOffset, long tableSize, long page) {
        long tableEnd = (tableOffset + tableSize + page - 1) & -page;
        long tableStart = tableOffset & -page;
        if (tableStart < tableOffset) {
            tableStart = tableOffset;
        }
        if (tableStart == 0 && tableEnd >= barSize) {
            return new DpdkPlan(tableStart, tableEnd, true, List.of());
        }
        List<Area> parts = new ArrayList<>();
        if (tableStart > 0) {
            parts.add(new Area(0, tableStart));
        }
        if (barSize > tableEnd) {
            parts.add(new Area(tableEnd, barSize - tableEnd));
        }
        return new DpdkPlan(tableStart, tableEnd, false, parts);
    }

    /**
     * QEMU's fix-ups for devices whose MSI-X capability places the PBA beyond its BAR
     * ({@code vfio_msix_early_setup}): Chelsio T5 VFs (1425:58xx) have it at 0x1000, the Baidu
     * Kunlun VF (1d22:3685) at 0xb400. Empty for any other device, which QEMU then refuses
     * unless MSI-X relocation is enabled.
     */
    public static OptionalLong qemuPbaQuirk(int vendor, int device) {
        if (vendor == 0x1425 && (device & 0xff00) == 0x5800) {
            return OptionalLong.of(0x1000);
        }
        if (vendor == 0x1d22 && device == 0x3685) {
            return OptionalLong.of(0xb400);
        }
        return OptionalLong.empty();
    }
}
