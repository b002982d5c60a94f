package vfiowb.common.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import vfiowb.common.mm.MmStruct;

/**
 * The choices the kvm-list thread left open for the mmap cookie tree (DESIGN §4a), each made a
 * knob chosen when a stage boots, so that their consequences can be measured side by side.
 * Stages before the tree exists honour only {@link #placement()}, which is mm's behaviour and
 * not the series'.
 *
 * <p>Written on the command line as {@code --policy layout=packed,align=oversize}; knobs not
 * named keep their {@link #DEFAULT} value.
 *
 * @param create when a file's cookies are made
 * @param layout where in the pgoff space a region's cookie goes
 * @param align how an aligned pgoff range is found in the tree
 * @param keys the unit of the tree's keys
 * @param placement how mm places {@code mmap(NULL)} of the device file
 */
public record SeriesPolicy(Create create, Layout layout, Align align, Keys keys,
        Placement placement) {

    /** When a file's cookies are made. */
    public enum Create {
        /** Every region's cookie at file open, in index order (Jason: "during file open time"). */
        OPEN("open"),
        /**
         * A region's cookie at its first REGION_INFO on the file; later calls return the same
         * cookie (Jason: "probably simpler done during the regions info ioctl").
         */
        REGION_INFO("region-info");

        private final String word;

        Create(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /** Where a region's cookie goes in the file's pgoff space. */
    public enum Layout {
        /**
         * Region {@code index} keeps {@code index << 40} where it fits (a region of at most
         * 1 TiB); a larger region is placed above every fixed slot. Userspace that hard-codes the
         * old offsets keeps working.
         */
        LEGACY("legacy"),
        /**
         * Dense from pgoff 1 (page 0 stays empty, so the offset 0 a region without bytes
         * reports maps nothing), each cookie aligned: 32-bit reach.
         */
        PACKED("packed");

        private final String word;

        Layout(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /** How an aligned range is found (the maple tree has no aligned allocator upstream). */
    public enum Align {
        /** The tree's own gap search honouring the alignment ({@code MapleTree} SEARCH). */
        SEARCH("search"),
        /**
         * Ask for {@code size + align - 1} and round the start up, mm's {@code unmapped_area()}
         * trick ({@code MapleTree} OVERSIZE).
         */
        OVERSIZE("oversize"),
        /**
         * No alignment beyond a page, as iommufd's {@code mtree_alloc_range} with page-sized
         * keys: the baseline that shows what alignment buys in page-table entries.
         */
        NONE("none");

        private final String word;

        Align(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /** The unit of the tree's {@code unsigned long} keys. */
    public enum Keys {
        /** Page numbers ({@code vm_pgoff}): 2^32 pages = 16 TiB on a 32-bit kernel. */
        PAGES("pages"),
        /**
         * Byte offsets ({@code vm_pgoff << PAGE_SHIFT}, as Jason's sketch and iommufd): on a
         * 32-bit kernel no key reaches 4 GiB.
         */
        BYTES("bytes");

        private final String word;

        Keys(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /** How mm picks the address of {@code mmap(NULL)} on the device file. */
    public enum Placement {
        /** Linux 6.1: page aligned. */
        PAGE("page", MmStruct.UnmappedAreaPolicy.PAGE),
        /** Linux 6.12 as measured: 2 MiB aligned where the mapping allows, never 1 GiB. */
        PMD("pmd", MmStruct.UnmappedAreaPolicy.PMD_ALIGNED),
        /** The address follows the pgoff's alignment up to PUD size (THP-style). */
        PGOFF("pgoff", MmStruct.UnmappedAreaPolicy.HUGE_ALIGNED);

        private final String word;
        private final MmStruct.UnmappedAreaPolicy mm;

        Placement(String word, MmStruct.UnmappedAreaPolicy mm) {
            this.word = word;
            this.mm = mm;
        }

        /** The mm policy that implements this placement. */
        public MmStruct.UnmappedAreaPolicy unmappedAreaPolicy() {
            return mm;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /**
     * The default the workbench boots with; the reasons for each choice, from the measured
     * numbers, are in docs/stage3.md.
     */
    public static final SeriesPolicy DEFAULT = new SeriesPolicy(Create.OPEN,
            Layout.LEGACY, Align.SEARCH, Keys.PAGES, Placement.PGOFF);

    public SeriesPolicy {
        Objects.requireNonNull(create, "create");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(align, "align");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(placement, "placement");
    }

    /** The knob names, in the order {@link #toString()} writes them. */
    public static List<String> knobs() {
        return List.of("create", "layout", "align", "keys", "placement");
    }

    /**
     * Reads {@code knob=value[,knob=value...]} over {@link #DEFAULT}. An empty string is the
     * default.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad knob or value and
     *     what is allowed
     */
    public static SeriesPolicy parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        Map<String, String> set = new LinkedHashMap<>();
        if (!spec.isBlank()) {
            for (String part : spec.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw new IllegalArgumentException("policy '" + part.strip()
                            + "' is not knob=value (knobs: " + String.join(", ", knobs()) + ")");
                }
                String knob = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = part.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
                if (!knobs().contains(knob)) {
                    throw new IllegalArgumentException("no policy knob '" + knob + "' (knobs: "
                            + String.join(", ", knobs()) + ")");
                }
                if (set.put(knob, value) != null) {
                    throw new IllegalArgumentException("policy knob '" + knob + "' given twice");
                }
            }
        }
        SeriesPolicy d = DEFAULT;
        return new SeriesPolicy(
                pick("create", set.get("create"), Create.values(), d.create),
                pick("layout", set.get("layout"), Layout.values(), d.layout),
                pick("align", set.get("align"), Align.values(), d.align),
                pick("keys", set.get("keys"), Keys.values(), d.keys),
                pick("placement", set.get("placement"), Placement.values(), d.placement));
    }

    private static <E extends Enum<E>> E pick(String knob, String value, E[] values, E dflt) {
        if (value == null) {
            return dflt;
        }
        List<String> words = new ArrayList<>();
        for (E e : values) {
            if (e.toString().equals(value)) {
                return e;
            }
            words.add(e.toString());
        }
        throw new IllegalArgumentException("policy " + knob + "=" + value + " is not one of "
                + String.join(", ", words));
    }

    /** Every combination of the series' knobs (placement fixed at {@code placement}). */
    public static List<SeriesPolicy> allSeriesKnobs(Placement placement) {
        List<SeriesPolicy> out = new ArrayList<>();
        for (Create c : Create.values()) {
            for (Layout l : Layout.values()) {
                for (Align a : Align.values()) {
                    for (Keys k : Keys.values()) {
                        out.add(new SeriesPolicy(c, l, a, k, placement));
                    }
                }
            }
        }
        return out;
    }

    public SeriesPolicy withCreate(Create v) {
        return new SeriesPolicy(v, layout, align, keys, placement);
    }

    public SeriesPolicy withLayout(Layout v) {
        return new SeriesPolicy(create, v, align, keys, placement);
    }

    public SeriesPolicy withAlign(Align v) {
        return new SeriesPolicy(create, layout, v, keys, placement);
    }

    public SeriesPolicy withKeys(Keys v) {
        return new SeriesPolicy(create, layout, align, v, placement);
    }

    public SeriesPolicy withPlacement(Placement v) {
        return new SeriesPolicy(create, layout, align, keys, v);
    }

    /** {@code create=region-info,layout=legacy,...}: what {@link #parse} reads back. */
    @Override
    public String toString() {
        return "create=" + create + ",layout=" + layout + ",align=" + align + ",keys=" + keys
                + ",placement=" + placement;
    }
}
