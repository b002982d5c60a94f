package vfiowb.workbench.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;

/**
 * The pgoff space of one device file after a QEMU-style probe: every region index's answer, the
 * regions with bytes and the gaps between them in offset order, and where a region runs into
 * another region's offset.
 *
 * @param stage the stage number
 * @param module the stage's module
 * @param arch the architecture booted
 * @param policy the policy booted, with the knobs the stage does not honour at their defaults
 * @param policyLabel the knobs of {@code policy} that differ from the default, or {@code default}
 * @param device the device's name
 * @param driver its driver module
 * @param opsTable its ops table
 * @param error why there is no layout (the stage has no driver for it, open failed), or null
 * @param regions every region index GET_INFO announced, in index order
 * @param segments the regions with bytes and the gaps before them, by offset, in bytes
 * @param overlaps each region with bytes whose range contains another region's offset
 * @param cookieRanges how many ranges the file's cookie tree holds after the probe (a debugger's
 *     view of the kernel, not the uAPI), or -1 for a file without a tree
 */
public record FileLayout(int stage, String module, Arch arch, SeriesPolicy policy,
        String policyLabel, String device,
        String driver, String opsTable, String error, List<Region> regions, List<Segment> segments,
        List<Overlap> overlaps, long cookieRanges) {

    /** A stretch of the pgoff space: a region's pages, or a gap no region uses. */
    public record Segment(boolean gap, long start, long length, long index, String name) {
        /** One past the segment (unsigned). */
        public long end() {
            return start + length;
        }
    }

    /**
     * Region {@code index} covers region {@code into}'s offset {@code at}: the fixed layout
     * gives it less room than its size, so an access there is decoded as region {@code into}.
     */
    public record Overlap(long index, String name, long into, String intoName, long at) {
        /** {@code BAR2 runs past BAR3's offset 0x30000000000 (by 1 TiB)}. */
        public String text(long regionEnd) {
            return name + " runs past " + intoName + "'s offset " + Bytes.hex(at) + " (by "
                    + Bytes.human(regionEnd - at) + ")";
        }
    }

    public FileLayout {
        regions = List.copyOf(regions);
        segments = List.copyOf(segments);
        overlaps = List.copyOf(overlaps);
    }

    /** A device the stage could not probe. */
    static FileLayout failed(int stage, String module, Arch arch, SeriesPolicy policy,
            String policyLabel, String device, String driver, String opsTable, String error) {
        return new FileLayout(stage, module, arch, policy, policyLabel, device, driver, opsTable,
                error,
                List.of(), List.of(), List.of(), -1);
    }

    /** Whether the probe worked. */
    public boolean ok() {
        return error == null;
    }

    /** One past the highest pgoff byte any region uses: the pgoff space the file spends. */
    public long extent() {
        long e = 0;
        for (Segment s : segments) {
            if (Long.compareUnsigned(s.end(), e) > 0) {
                e = s.end();
            }
        }
        return e;
    }

    /** The part of {@link #extent()} regions take (overlapping parts counted once). */
    public long regionBytes() {
        return extent() - gapBytes();
    }

    /** The pgoff space below {@link #extent()} that no region uses. */
    public long gapBytes() {
        long g = 0;
        for (Segment s : segments) {
            if (s.gap()) {
                g += s.length();
            }
        }
        return g;
    }

    /** The regions with bytes. */
    public List<Region> withBytes() {
        List<Region> out = new ArrayList<>();
        for (Region r : regions) {
            if (r.hasBytes()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The region with this index, or null. */
    public Region region(long index) {
        for (Region r : regions) {
            if (r.index() == index) {
                return r;
            }
        }
        return null;
    }

    /**
     * The shift {@code s} of a fixed layout, region {@code i} at {@code i << s}, read from the
     * offsets: the one that the lowest nonzero index with a nonzero offset implies, if at least
     * half of the answered indexes sit at {@code index << s}; empty for a packed file.
     */
    public OptionalInt slotShift() {
        for (Region r : regions) {
            if (r.errno() != null || r.index() == 0 || r.offset() == 0
                    || Long.remainderUnsigned(r.offset(), r.index()) != 0) {
                continue;
            }
            long stride = Long.divideUnsigned(r.offset(), r.index());
            if (Long.bitCount(stride) != 1) {
                return OptionalInt.empty();
            }
            int shift = Long.numberOfTrailingZeros(stride);
            int answered = 0;
            int onSlot = 0;
            for (Region q : regions) {
                if (q.errno() == null) {
                    answered++;
                    if (q.offset() == q.index() << shift) {
                        onSlot++;
                    }
                }
            }
            return 2 * onSlot >= answered ? OptionalInt.of(shift) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /** Regions with bytes not at {@code index << slotShift()} (all of them for a packed file). */
    public List<Region> offSlot() {
        OptionalInt s = slotShift();
        List<Region> out = new ArrayList<>();
        for (Region r : withBytes()) {
            if (s.isEmpty() || r.offset() != r.index() << s.getAsInt()) {
                out.add(r);
            }
        }
        return out;
    }
}
