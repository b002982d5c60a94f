package vfiowb.workbench.capacity;

import java.util.Objects;

/**
 * How much of a region one kind of access reaches through the device file, measured by making
 * the system call: {@code pread} (or {@code pwrite} for a write-only region) of one byte, or
 * {@code mmap} of one page, at the region's offset from REGION_INFO plus a position in it.
 *
 * <p>The first and the last byte (page) are tried; where the first works and the last does not,
 * a binary search finds the boundary, so a partly reachable region reports the length of its
 * reachable prefix: what a layout does to a region is prefix-shaped (a slot that ends, a 4 GiB
 * limit that cuts in). Holes a driver makes inside a region are not looked for.
 *
 * @param kind what was found
 * @param bytes the bytes reachable from the region's start (for mmap: within the areas QEMU
 *     would map)
 * @param offered the bytes this access is offered on: the region's size, or for mmap the sum of
 *     its sparse areas (the whole region when it has none); 0 when not offered
 * @param detail the errno (with the position) of the first access that failed, or why the access
 *     is not offered; null when everything is reachable
 */
public record Reach(Kind kind, long bytes, long offered, String detail) {
    /** What a probe of one access kind found. */
    public enum Kind {
        /** Every byte offered is reachable. */
        FULL("all"),
        /** A prefix is reachable, the rest fails. */
        PARTIAL("part"),
        /** The first byte (page) already fails, and so does the last. */
        NONE("none"),
        /**
         * The first byte (page) fails but the last is reached: the driver refuses parts of the
         * region by design (VGA's region answers only the legacy VGA ranges), which says
         * nothing about the layout.
         */
        HOLES("holes"),
        /** The region's flags (or sparse areas) do not offer the access: nothing was tried. */
        NOT_OFFERED("-");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** {@code all}, {@code part}, {@code none}, {@code -}. */
        public String word() {
            return word;
        }
    }

    public Reach {
        Objects.requireNonNull(kind, "kind");
        if (bytes < 0 || offered < 0 || Long.compareUnsigned(bytes, offered) > 0) {
            throw new IllegalArgumentException("reach " + bytes + " of " + offered);
        }
        if ((kind == Kind.FULL) != (detail == null)) {
            throw new IllegalArgumentException("a reach has a detail exactly when it is not full");
        }
    }

    static Reach full(long offered) {
        return new Reach(Kind.FULL, offered, offered, null);
    }

    static Reach notOffered(String why) {
        return new Reach(Kind.NOT_OFFERED, 0, 0, why);
    }

    /**
     * Whether the access stops short of the region's end or fails from its start: what a
     * layout can do to a region (holes a driver makes are not counted).
     */
    public boolean cutShort() {
        return kind == Kind.PARTIAL || kind == Kind.NONE;
    }

    /** Whether every offered byte is reachable. */
    public boolean complete() {
        return kind == Kind.FULL;
    }

    /** {@code all}, {@code 1 TiB of 2 TiB (EINVAL at +0x10000000000)}, {@code none (EOVERFLOW)}. */
    public String text() {
        switch (kind) {
            case FULL:
                return "all";
            case PARTIAL:
                return Bytes.human(bytes) + " of " + Bytes.human(offered) + " (" + detail + ")";
            case NONE:
                return "none (" + detail + ")";
            case HOLES:
                return "holes (" + detail + ")";
            default:
                return "- (" + detail + ")";
        }
    }
}
