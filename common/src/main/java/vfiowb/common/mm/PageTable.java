package vfiowb.common.mm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import vfiowb.common.Models;

/**
 * One process's page tables, reduced to what mapping device memory needs: leaf entries at PTE,
 * PMD or PUD level, and which lower-level tables exist.
 *
 * <p>A leaf is one object whatever it maps, so a 1 GiB PUD entry costs one entry, as in the
 * hardware. Tables matter because the kernel only tries a huge fault where the slot is empty
 * ({@code pud_none}, {@code pmd_none}): once a PTE table hangs under a PMD slot, that range
 * keeps using PTEs until munmap frees the table ({@code unmap_mapping_range} clears entries but
 * leaves tables). Upper levels (PGD, P4D) are not modelled. On i386 (PAE) the PUD level is
 * folded into the PGD; a PMD table still spans {@code PUD_SIZE} (1 GiB) there.
 *
 * <p>Thread-safe: one lock stands for the kernel's page-table locks; it is taken last in every
 * lock order, so callers may hold any mm or address-space lock.
 */
@Models({"include/linux/pgtable.h:pte_t", "include/linux/pgtable.h:pmd_t",
    "include/linux/pgtable.h:pud_t"})
public final class PageTable {

    /** The page-table level a leaf entry lives at. */
    public enum Level { PTE, PMD, PUD }

    /**
     * A present leaf entry: maps {@code [va, va + size)} to {@code pfn}'s physical address.
     *
     * @param special a raw-PFN entry ({@code pte_mkspecial}, VM_PFNMAP); false for a page-backed
     *     one ({@code vm_insert_page}, {@code finish_fault})
     */
    public record Entry(long va, Level level, long size, long pfn, PgProt prot, boolean writable,
            boolean special) {
        public Entry {
            if (size <= 0 || Long.bitCount(size) != 1 || (va & (size - 1)) != 0 || va < 0) {
                throw new IllegalStateException(String.format(
                        "page-table entry 0x%x size 0x%x not naturally aligned", va, size));
            }
            if (pfn < 0 || prot == null || level == null) {
                throw new IllegalStateException("bad page-table entry");
            }
        }

        /** Exclusive end of the mapped range. */
        public long end() {
            return va + size;
        }

        boolean covers(long addr) {
            return addr >= va && addr - va < size;
        }
    }

    private final Arch arch;
    private final ReentrantLock ptl = new ReentrantLock();
    private final TreeMap<Long, Entry> leaves = new TreeMap<>();
    /** PTE tables, keyed by the PMD-aligned address of the slot that points to them. */
    private final TreeSet<Long> pteTables = new TreeSet<>();
    /** PMD tables, keyed by the PUD-aligned address of the slot that points to them. */
    private final TreeSet<Long> pmdTables = new TreeSet<>();
    private long zapped;

    public PageTable(Arch arch) {
        this.arch = arch;
    }

    public Arch arch() {
        return arch;
    }

    /** The bytes one leaf at {@code level} maps on this architecture. */
    public long sizeOf(Level level) {
        switch (level) {
            case PTE:
                return arch.pageSize();
            case PMD:
                return arch.pmdSize();
            case PUD:
                return arch.pudSize();
            default:
                throw new IllegalStateException();
        }
    }

    /** The leaf mapping {@code va}, or null (a page-table walk). */
    public Entry lookup(long va) {
        ptl.lock();
        try {
            return lookupLocked(va);
        } finally {
            ptl.unlock();
        }
    }

    private Entry lookupLocked(long va) {
        Map.Entry<Long, Entry> e = leaves.floorEntry(va);
        return e != null && e.getValue().covers(va) ? e.getValue() : null;
    }

    /** The physical address {@code va} maps to, if an entry maps it. */
    public OptionalLong translate(long va) {
        Entry e = lookup(va);
        if (e == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((e.pfn() << arch.pageShift()) + (va - e.va()));
    }

    /** {@code pud_none()} for the PUD slot of {@code va}: no PUD leaf and no PMD table. */
    public boolean pudNone(long va) {
        ptl.lock();
        try {
            long slot = va & -arch.pudSize();
            Entry e = lookupLocked(va);
            return !pmdTables.contains(slot) && (e == null || e.level() != Level.PUD);
        } finally {
            ptl.unlock();
        }
    }

    /** {@code pmd_none()} for the PMD slot of {@code va}: no leaf above PTE level, no PTE table. */
    public boolean pmdNone(long va) {
        ptl.lock();
        try {
            long slot = va & -arch.pmdSize();
            Entry e = lookupLocked(va);
            return !pteTables.contains(slot) && (e == null || e.level() == Level.PTE);
        } finally {
            ptl.unlock();
        }
    }

    /** {@code pmd_alloc()}: the PMD table under {@code va}'s PUD slot, unless a PUD leaf is there. */
    void pmdAlloc(long va) {
        ptl.lock();
        try {
            Entry e = lookupLocked(va);
            if (e == null || e.level() != Level.PUD) {
                pmdTables.add(va & -arch.pudSize());
            }
        } finally {
            ptl.unlock();
        }
    }

    /**
     * Installs a leaf ({@code set_pte_at}, {@code set_pmd_at}, {@code set_pud_at}), allocating
     * the tables above it. The caller has checked that the slot is empty: an overlap, a
     * misaligned entry or a huge leaf over an existing table is a model bug.
     */
    void install(Entry e) {
        if (e.size() != sizeOf(e.level())) {
            throw new IllegalStateException("entry size does not match its level: " + e);
        }
        long pagesPerEntry = e.size() >>> arch.pageShift();
        if ((e.pfn() & (pagesPerEntry - 1)) != 0) {
            throw new IllegalStateException(String.format(
                    "%s entry at 0x%x with pfn 0x%x not aligned to its size", e.level(), e.va(),
                    e.pfn()));
        }
        ptl.lock();
        try {
            Map.Entry<Long, Entry> below = leaves.floorEntry(e.end() - 1);
            if (below != null && below.getValue().end() > e.va()) {
                throw new IllegalStateException("page-table entry " + e + " overlaps "
                        + below.getValue());
            }
            long pmdSlot = e.va() & -arch.pmdSize();
            long pudSlot = e.va() & -arch.pudSize();
            switch (e.level()) {
                case PTE:
                    pteTables.add(pmdSlot);
                    pmdTables.add(pudSlot);
                    break;
                case PMD:
                    if (pteTables.contains(pmdSlot)) {
                        throw new IllegalStateException("PMD leaf over a PTE table at 0x"
                                + Long.toHexString(pmdSlot));
                    }
                    pmdTables.add(pudSlot);
                    break;
                case PUD:
                    if (pmdTables.contains(pudSlot)) {
                        throw new IllegalStateException("PUD leaf over a PMD table at 0x"
                                + Long.toHexString(pudSlot));
                    }
                    break;
                default:
                    throw new IllegalStateException();
            }
            leaves.put(e.va(), e);
        } finally {
            ptl.unlock();
        }
    }

    /** Leaves intersecting {@code [start, end)}, in address order; caller holds the lock. */
    private List<Entry> intersecting(long start, long end) {
        List<Entry> out = new ArrayList<>();
        if (end <= start) {
            return out;
        }
        Map.Entry<Long, Entry> first = leaves.lowerEntry(start);
        if (first != null && first.getValue().end() > start) {
            out.add(first.getValue());
        }
        out.addAll(leaves.subMap(start, true, end, false).values());
        return out;
    }

    /**
     * Clears every leaf that intersects {@code [start, end)} and returns how many
     * ({@code zap_page_range_single}). A huge leaf only partly inside the range is cleared
     * whole: splitting a special (PFN-mapped) huge entry just clears it, and the next touch
     * refaults. Tables stay, as in the kernel.
     */
    @Models("mm/memory.c:zap_page_range_single")
    public int zap(long start, long end) {
        return zap(start, end, false);
    }

    /**
     * {@link #zap(long, long)}, but with {@code keepCows} the page-backed leaves (the
     * anonymous copies a copy-on-write fault made) stay: {@code unmap_mapping_range} without
     * {@code even_cows} on a private mapping.
     */
    int zap(long start, long end, boolean keepCows) {
        ptl.lock();
        try {
            int n = 0;
            for (Entry e : intersecting(start, end)) {
                if (keepCows && !e.special()) {
                    continue;
                }
                leaves.remove(e.va());
                n++;
            }
            zapped += n;
            return n;
        } finally {
            ptl.unlock();
        }
    }

    /** Clears the huge leaf (if any) that straddles {@code addr}: {@code vma_adjust_trans_huge}. */
    void splitHugeAt(long addr) {
        ptl.lock();
        try {
            Entry e = lookupLocked(addr);
            if (e != null && e.level() != Level.PTE && e.va() != addr) {
                leaves.remove(e.va());
                zapped++;
            }
        } finally {
            ptl.unlock();
        }
    }

    /** Decides whether any VMA still uses part of a table's span. */
    interface SpanInUse {
        boolean test(long start, long end);
    }

    /**
     * {@code free_pgtables()} after {@code [start, end)} was unmapped: frees every table under
     * that range whose whole span no VMA uses any more. A leaf left in a freed span is a model
     * bug.
     */
    @Models("mm/memory.c:free_pgtables")
    void freePgtables(long start, long end, SpanInUse inUse) {
        ptl.lock();
        try {
            long pmd = arch.pmdSize();
            long pud = arch.pudSize();
            for (Iterator<Long> it = pteTables.subSet(start & -pmd, true, end, false).iterator();
                    it.hasNext();) {
                long slot = it.next();
                if (!inUse.test(slot, slot + pmd)) {
                    if (!intersecting(slot, slot + pmd).isEmpty()) {
                        throw new IllegalStateException("freeing a PTE table that still maps "
                                + intersecting(slot, slot + pmd).get(0));
                    }
                    it.remove();
                }
            }
            for (Iterator<Long> it = pmdTables.subSet(start & -pud, true, end, false).iterator();
                    it.hasNext();) {
                long slot = it.next();
                if (!inUse.test(slot, slot + pud)) {
                    if (!intersecting(slot, slot + pud).isEmpty()
                            || !pteTables.subSet(slot, true, slot + pud, false).isEmpty()) {
                        throw new IllegalStateException("freeing a PMD table still in use at 0x"
                                + Long.toHexString(slot));
                    }
                    it.remove();
                }
            }
        } finally {
            ptl.unlock();
        }
    }

    /**
     * {@code copy_page_range()} for one VMA at fork: copies every leaf of {@code [start, end)}
     * into {@code dst}. VMA boundaries never cut a leaf (splitting clears straddling huge
     * leaves), so a straddling leaf is a model bug. For a copy-on-write VMA ({@code cow}) a
     * writable leaf is write-protected in both tables ({@code copy_present_pte}), so the next
     * store in either process copies again.
     */
    @Models("mm/memory.c:copy_page_range")
    void copyTo(PageTable dst, long start, long end, boolean cow) {
        List<Entry> copy = new ArrayList<>();
        ptl.lock();
        try {
            for (Entry e : intersecting(start, end)) {
                if (cow && e.writable()) {
                    e = new Entry(e.va(), e.level(), e.size(), e.pfn(), e.prot(), false,
                            e.special());
                    leaves.put(e.va(), e);
                }
                copy.add(e);
            }
        } finally {
            ptl.unlock();
        }
        for (Entry e : copy) {
            if (e.va() < start || e.end() > end) {
                throw new IllegalStateException("leaf " + e + " straddles a VMA boundary");
            }
            dst.install(e);
        }
    }

    /**
     * Replaces the leaf {@code old} by {@code repl} (same address and size) if {@code old} is
     * still there, as a fault does after {@code pte_same()}; false if another thread changed it.
     */
    boolean replace(Entry old, Entry repl) {
        if (old.va() != repl.va() || old.size() != repl.size()) {
            throw new IllegalStateException("replacing " + old + " by " + repl);
        }
        ptl.lock();
        try {
            if (!old.equals(leaves.get(old.va()))) {
                return false;
            }
            leaves.put(repl.va(), repl);
            return true;
        } finally {
            ptl.unlock();
        }
    }

    /** Every leaf intersecting {@code [start, end)}, in address order. */
    public List<Entry> entries(long start, long end) {
        ptl.lock();
        try {
            return Collections.unmodifiableList(intersecting(start, end));
        } finally {
            ptl.unlock();
        }
    }

    /** Leaf counts per level for the whole address space (every level present, maybe 0). */
    public Map<Level, Long> entriesByLevel() {
        return entriesByLevel(0, Long.MAX_VALUE);
    }

    /** Leaf counts per level for leaves intersecting {@code [start, end)}. */
    public Map<Level, Long> entriesByLevel(long start, long end) {
        Map<Level, Long> counts = new EnumMap<>(Level.class);
        for (Level l : Level.values()) {
            counts.put(l, 0L);
        }
        ptl.lock();
        try {
            for (Entry e : intersecting(start, end)) {
                counts.merge(e.level(), 1L, Long::sum);
            }
        } finally {
            ptl.unlock();
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * Entries cleared by zaps and splits so far. A fault that reports success yet leaves no
     * entry is a handler bug only if this did not move meanwhile.
     */
    public long zappedEntries() {
        ptl.lock();
        try {
            return zapped;
        } finally {
            ptl.unlock();
        }
    }

    /** All leaves. */
    public long totalEntries() {
        ptl.lock();
        try {
            return leaves.size();
        } finally {
            ptl.unlock();
        }
    }

    /** The slots (PMD-aligned addresses) that have a PTE table, for invariant checks. */
    List<Long> pteTableSlots() {
        ptl.lock();
        try {
            return new ArrayList<>(pteTables);
        } finally {
            ptl.unlock();
        }
    }

    /** The slots (PUD-aligned addresses) that have a PMD table, for invariant checks. */
    List<Long> pmdTableSlots() {
        ptl.lock();
        try {
            return new ArrayList<>(pmdTables);
        } finally {
            ptl.unlock();
        }
    }

    /** PTE tables allocated (each one page of memory in the kernel). */
    public int pteTableCount() {
        ptl.lock();
        try {
            return pteTables.size();
        } finally {
            ptl.unlock();
        }
    }

    /**
     * PUD tables the entries need (each one page of memory in the kernel): one for every
     * {@code PTRS_PER_PUD} PUD slots of address space that hold a PUD leaf or point to a PMD
     * table. Counted on 64-bit arches with a real PUD level (x86_64 and arm64 with 4 KiB pages);
     * 0 where the level is folded.
     */
    public int pudTableCount() {
        if (arch.is32Bit() || arch.pageShift() != 12) {
            return 0;
        }
        int ptrsShift = arch.pageShift() - 3;
        ptl.lock();
        try {
            TreeSet<Long> tables = new TreeSet<>();
            for (long slot : pmdTables) {
                tables.add(slot >>> (arch.pudShift() + ptrsShift));
            }
            for (Entry e : leaves.values()) {
                if (e.level() == Level.PUD) {
                    tables.add(e.va() >>> (arch.pudShift() + ptrsShift));
                }
            }
            return tables.size();
        } finally {
            ptl.unlock();
        }
    }

    /** PMD tables allocated (each one page of memory in the kernel). */
    public int pmdTableCount() {
        ptl.lock();
        try {
            return pmdTables.size();
        } finally {
            ptl.unlock();
        }
    }
}
