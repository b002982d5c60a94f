package vfiowb.common.mm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import vfiowb.common.Models;

/**
 * x86's PAT memory-type tracking of non-RAM physical ranges (arch/x86/mm/pat/memtype.c): the
 * list of reservations {@code ioremap*()}, {@code arch_io_reserve_memtype_wc()} and
 * {@code remap_pfn_range()} make, which the kernel consults so that no physical page is mapped
 * with two conflicting cache types.
 *
 * <p>What matters for device mappings: {@code vmf_insert_pfn_prot()} and the huge inserts call
 * {@code track_pfn_insert()} (renamed {@code pfnmap_setup_cachemode_pfn()} in v6.16), which
 * <em>replaces</em> the cache mode of the protection the driver asked for with
 * {@code lookup_memtype()} of the PFN: the type of the reservation covering it, or UC- when
 * none does. So on x86 a fault-based mapping gets WC PTEs only where something reserved the
 * range WC; a {@code vm_page_prot} of {@code pgprot_writecombine} alone is not enough. arm64
 * has no such tracking: its PTEs take the VMA's attribute as is.
 *
 * <p>Modelled: reservations as a list of {@code [start, end)} entries with a type, conflict
 * handling as {@code memtype_check_insert()} does it when the caller accepts another type (the
 * new entry takes the type of the overlapping ones; {@code ioremap} and
 * {@code memtype_reserve_io} accept it), or fails with -EBUSY when it does not; lookup as
 * {@code memtype_lookup()}. Simplified: RAM pages ({@code pat_pagerange_is_ram}, tracked in
 * struct page), MTRRs ({@code pat_x_mtrr_type}), the ISA range and
 * {@code is_new_memtype_allowed()} (which allows every degradation the model can produce: WC
 * or UC- to UC-) are not modelled. PAT is taken as enabled, as on every x86 CPU since the
 * Pentium III.
 */
@Models("arch/x86/mm/pat/memtype.c:memtype_reserve")
public final class PatMemtype {
    /** One reservation: {@code struct memtype}. */
    public record Reservation(long start, long end, PgProt type) {
        public Reservation {
            if (Long.compareUnsigned(start, end) >= 0) {
                throw new IllegalArgumentException(String.format(
                        "empty memtype range [0x%x, 0x%x)", start, end));
            }
            if (type == null || type == PgProt.DEVICE) {
                throw new IllegalArgumentException("x86 has no memtype " + type);
            }
        }

        boolean overlaps(long s, long e) {
            return Long.compareUnsigned(start, e) < 0 && Long.compareUnsigned(s, end) < 0;
        }
    }

    private final List<Reservation> reservations = new ArrayList<>();

    /**
     * {@code memtype_reserve(start, end, req_type, &new_type)}: records {@code [start, end)}
     * with {@code req} unless an overlapping reservation has another type; then, when
     * {@code acceptOther}, records it with that type instead (what the caller gets back in
     * {@code *new_type}), else refuses.
     *
     * @return the type recorded, or null when refused ({@code -EBUSY})
     */
    @Models({"arch/x86/mm/pat/memtype.c:memtype_reserve",
            "arch/x86/mm/pat/memtype_interval.c:memtype_check_conflict"})
    public synchronized PgProt memtypeReserve(long start, long end, PgProt req, boolean acceptOther) {
        PgProt type = req == PgProt.DEVICE ? PgProt.UC : req;
        for (Reservation r : reservations) {
            if (r.overlaps(start, end) && r.type() != type) {
                if (!acceptOther) {
                    return null;
                }
                type = r.type();
                break;
            }
        }
        reservations.add(new Reservation(start, end, type));
        return type;
    }

    /**
     * {@code memtype_free(start, end)}: drops one reservation of exactly {@code [start, end)}.
     *
     * @return whether there was one (the kernel logs "freeing invalid memtype" otherwise)
     */
    @Models("arch/x86/mm/pat/memtype.c:memtype_free")
    public synchronized boolean memtypeFree(long start, long end) {
        for (int i = 0; i < reservations.size(); i++) {
            Reservation r = reservations.get(i);
            if (r.start() == start && r.end() == end) {
                reservations.remove(i);
                return true;
            }
        }
        return false;
    }

    /**
     * {@code lookup_memtype(paddr)}: the type of the first reservation covering the page at
     * {@code paddr}, or UC- ({@link PgProt#UC}) for a non-RAM page nobody reserved.
     */
    @Models("arch/x86/mm/pat/memtype.c:lookup_memtype")
    public synchronized PgProt lookupMemtype(long paddr) {
        for (Reservation r : reservations) {
            if (r.overlaps(paddr, paddr + 1)) {
                return r.type();
            }
        }
        return PgProt.UC;
    }

    /**
     * {@code arch_io_reserve_memtype_wc(start, size)} ({@code memtype_reserve_io} with WC): what a
     * driver calls so that later {@code vmf_insert_pfn} of the range gets WC PTEs (i915's and
     * TTM's apertures). An overlapping UC- reservation (the {@code ioremap} of the same BAR)
     * degrades it to UC-, which {@code is_new_memtype_allowed()} allows.
     *
     * @return the type granted
     */
    @Models("arch/x86/mm/pat/memtype.c:arch_io_reserve_memtype_wc")
    public PgProt archIoReserveMemtypeWc(long start, long size) {
        return memtypeReserve(start, start + size, PgProt.WC, true);
    }

    /** The reservations, oldest first: {@code /sys/kernel/debug/x86/pat_memtype_list}. */
    @Models("arch/x86/mm/pat/memtype.c:memtype_seq_show")
    public synchronized List<Reservation> reservations() {
        return Collections.unmodifiableList(new ArrayList<>(reservations));
    }

    /**
     * {@code track_pfn_insert(vma, &prot, pfn)}: on x86 the cache mode of a PFN insert is the
     * tracked type of the page, whatever the driver asked; elsewhere {@code prot} as is.
     */
    @Models("arch/x86/mm/pat/memtype.c:track_pfn_insert")
    public static PgProt trackPfnInsert(VmArea vma, PgProt prot, long pfn) {
        Arch arch = vma.arch();
        if (!arch.hasPat()) {
            return prot;
        }
        MmStruct mm = vma.vmMm();
        PhysicalMemory memory = mm == null ? null : mm.physicalMemory();
        PatMemtype pat = memory == null ? null : memory.patMemtype();
        if (pat == null) {
            return prot;
        }
        return pat.lookupMemtype(pfn << arch.pageShift());
    }
}
