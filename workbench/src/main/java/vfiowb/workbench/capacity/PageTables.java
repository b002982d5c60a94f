package vfiowb.workbench.capacity;

import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import java.util.EnumMap;
import java.util.Map;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PageTable.Level;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.workbench.clients.Probe;

/**
 * The page-table entries that map one region once every page of it was touched, measured on the
 * model's mm: a fresh process opens the device, asks REGION_INFO for the region, maps each area
 * QEMU would map with {@code mmap(NULL, ...)} (so the policy's mm placement picks the address),
 * faults every page in ({@link Mapping#touch}) and counts the leaves per level
 * ({@link PageTable#entriesByLevel}).
 *
 * @param pte 4 KiB (base page) entries
 * @param pmd PMD-level entries
 * @param pud PUD-level entries
 * @param faults the faults that installed them (the inferred part included)
 * @param minimum the fewest entries that can map the region's size on this arch
 * @param inferredBytes bytes of the mapping whose entries were not faulted but counted from
 *     identical pieces (see {@link #measure}); 0 when every page was touched
 * @param failure why the region could not be measured ({@code mmap: EOVERFLOW},
 *     {@code SIGBUS at +0x...}), or null
 */
public record PageTables(long pte, long pmd, long pud, long faults, Minimum minimum,
        long inferredBytes, String failure) {

    /**
     * The fewest leaves that map {@code size} bytes on an arch: as many of the largest huge
     * entry the arch can install for a PFN mapping as fit, then the next smaller level for the
     * rest, then base pages; what a perfectly aligned mapping would need.
     */
    public record Minimum(long pte, long pmd, long pud) {
        /** The leaves in all. */
        public long total() {
            return pte + pmd + pud;
        }

        /** {@code 64 PUD}, {@code 1 PMD + 3 PTE}. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            append(sb, pud, "PUD");
            append(sb, pmd, "PMD");
            append(sb, pte, "PTE");
            return sb.length() == 0 ? "0" : sb.toString();
        }

        /** The minimum for {@code size} bytes on {@code arch}. */
        public static Minimum of(Arch arch, long size) {
            long rest = arch.pageAlign(size);
            long pud = 0;
            long pmd = 0;
            if (arch.hugePudPfnmap()) {
                pud = rest / arch.pudSize();
                rest -= pud * arch.pudSize();
            }
            if (arch.hugePmdPfnmap()) {
                pmd = rest / arch.pmdSize();
                rest -= pmd * arch.pmdSize();
            }
            return new Minimum(rest / arch.pageSize(), pmd, pud);
        }
    }

    /**
     * Faults beyond which identical pieces of a mapping are counted instead of faulted: a 1 GiB
     * piece of 4 KiB entries. Measuring a 64 GiB BAR mapped at 4 KiB page by page would take 16
     * million faults and as many entries in memory.
     */
    public static final long FAULT_BUDGET = 1L << 18;

    /** The leaves in all. */
    public long total() {
        return pte + pmd + pud;
    }

    /** Whether the region was measured. */
    public boolean ok() {
        return failure == null;
    }

    private static void append(StringBuilder sb, long n, String level) {
        if (n != 0) {
            sb.append(sb.length() == 0 ? "" : " + ").append(n).append(' ').append(level);
        }
    }

    /** {@code 1024 PUD} or {@code 511 PMD + 1024 PTE}, as {@link Minimum#text()}. */
    public String text() {
        return new Minimum(pte, pmd, pud).text();
    }

    /**
     * Measures region {@code index} of {@code device} on {@code host} with {@link #FAULT_BUDGET}.
     */
    static PageTables measure(VfioHost host, String device, Region region) {
        return measure(host, device, region, FAULT_BUDGET);
    }

    /**
     * Measures region {@code region.index()} in a new process on {@code host}.
     *
     * <p>A mapping is touched in pieces aligned to their size ({@link #piece}: the largest entry
     * that can occur in it, at least a PMD), so no entry crosses a piece. Every full piece inside
     * a mapping sees the same VMA bounds (none), the same offset between virtual and physical
     * address and so the same fault decisions; once two consecutive full pieces took the same
     * entries and faulting the rest would exceed {@code budget} faults, the last full piece is
     * touched, and if it too took the same entries the pieces between are counted as copies of
     * it. If the last piece differs, every piece is touched after all.
     */
    static PageTables measure(VfioHost host, String device, Region region, long budget) {
        Arch arch = host.arch();
        Minimum min = Minimum.of(arch, region.size());
        Process p = new Process(host);
        try {
            int fd = p.open(device);
            RegionInfoReply reply = Probe.regionInfo(p, fd, region.index(), false);
            long offset = reply.info().offset();
            int prot = ((region.flags() & VFIO_REGION_INFO_FLAG_READ) != 0 ? PROT_READ : 0)
                    | ((region.flags() & VFIO_REGION_INFO_FLAG_WRITE) != 0 ? PROT_WRITE : 0);
            Map<Level, Long> sum = zero();
            long faults = 0;
            long inferred = 0;
            for (Region.Area a : Layouts.mmapAreas(reply, reply.info().size())) {
                Mapping m;
                try {
                    m = p.mmap(0, a.size(), prot, MAP_SHARED, fd, offset + a.offset());
                } catch (ErrnoException e) {
                    return failed(min, "mmap of +" + Bytes.hex(a.offset()) + ": " + e.errnoName());
                }
                Count c;
                try {
                    c = touch(m, budget);
                } catch (SigbusException e) {
                    return failed(min, "SIGBUS at " + Bytes.hex(e.address() - m.addr())
                            + " into the area at +" + Bytes.hex(a.offset()));
                } catch (SegvException e) {
                    return failed(min, "SIGSEGV at " + Bytes.hex(e.address() - m.addr())
                            + e.kernelBug().map(b -> " (" + b + ")").orElse(""));
                }
                c.entries.forEach((l, n) -> sum.merge(l, n, Long::sum));
                faults += c.faults;
                inferred += c.inferredBytes;
                p.munmap(m);
            }
            return new PageTables(sum.get(Level.PTE), sum.get(Level.PMD), sum.get(Level.PUD),
                    faults, min, inferred, null);
        } catch (ErrnoException e) {
            return failed(min, e.errnoName());
        } finally {
            p.exit();
        }
    }

    private static PageTables failed(Minimum min, String why) {
        return new PageTables(0, 0, 0, 0, min, 0, why);
    }

    /** Entries and faults of one mapping, and how many of its bytes were counted, not touched. */
    private record Count(Map<Level, Long> entries, long faults, long inferredBytes) {}

    private static Map<Level, Long> zero() {
        Map<Level, Long> m = new EnumMap<>(Level.class);
        for (Level l : Level.values()) {
            m.put(l, 0L);
        }
        return m;
    }

    /** One piece's entries and the faults it took. */
    private record Piece(Map<Level, Long> entries, long faults) {}

    private static Piece touchPiece(Mapping m, long from, long to) {
        long faults = m.touch(from, to);
        Map<Level, Long> e = m.process().mm().pageTable().entriesByLevel(m.addr() + from,
                m.addr() + to);
        return new Piece(e, faults);
    }

    private static Count touch(Mapping m, long budget) {
        Arch arch = m.process().arch();
        long first = m.touch(0, arch.pageSize());
        long piece = piece(arch, m.addr(), m.process().mm().pageTable().translate(m.addr()));
        long len = m.end() - m.addr();
        long firstFull = Math.min(len, ((m.addr() + piece - 1) & -piece) - m.addr());
        long lastFullEnd = Math.max(firstFull, ((m.end()) & -piece) - m.addr());
        long full = (lastFullEnd - firstFull) / piece;
        Map<Level, Long> sum = zero();
        long faults = first;
        long inferred = 0;
        Piece head = touchPiece(m, 0, firstFull);
        add(sum, head.entries(), 1);
        faults += head.faults();
        Piece prev = null;
        for (long i = 0; i < full; i++) {
            long from = firstFull + i * piece;
            Piece cur = touchPiece(m, from, from + piece);
            add(sum, cur.entries(), 1);
            faults += cur.faults();
            long between = full - 2 - i;
            if (prev != null && prev.equals(cur) && between > 0
                    && cur.faults() * between > budget) {
                long lastFrom = firstFull + (full - 1) * piece;
                Piece last = touchPiece(m, lastFrom, lastFrom + piece);
                if (last.equals(cur)) {
                    add(sum, cur.entries(), between);
                    faults += cur.faults() * between + last.faults();
                    add(sum, last.entries(), 1);
                    inferred = between * piece;
                    break;
                }
                // Not periodic after all: touch the rest (the last piece is already done).
                for (long j = i + 1; j < full - 1; j++) {
                    long f = firstFull + j * piece;
                    Piece q = touchPiece(m, f, f + piece);
                    add(sum, q.entries(), 1);
                    faults += q.faults();
                }
                add(sum, last.entries(), 1);
                faults += last.faults();
                break;
            }
            prev = cur;
        }
        Piece tail = touchPiece(m, lastFullEnd, len);
        add(sum, tail.entries(), 1);
        faults += tail.faults();
        return new Count(sum, faults, inferred);
    }

    /**
     * The size of the pieces a mapping is touched in: a PUD where the arch installs PUD entries
     * and the first page's virtual and physical addresses agree modulo PUD_SIZE (so PUD entries
     * can occur), else a PMD. A leaf of size L maps an L-aligned virtual range to an L-aligned
     * physical one, so where the two addresses differ by other than a multiple of L no leaf of
     * that size can occur anywhere in a linear mapping, and the fault decisions repeat every
     * PMD. Pieces are compared before any is counted rather than touched, so a mapping that is
     * not linear only costs time.
     */
    static long piece(Arch arch, long va, java.util.OptionalLong phys) {
        if (arch.hugePudPfnmap() && phys.isPresent()
                && ((va - phys.getAsLong()) & (arch.pudSize() - 1)) == 0) {
            return arch.pudSize();
        }
        return arch.pmdSize();
    }

    private static void add(Map<Level, Long> sum, Map<Level, Long> e, long times) {
        e.forEach((l, n) -> sum.merge(l, n * times, Long::sum));
    }
}
