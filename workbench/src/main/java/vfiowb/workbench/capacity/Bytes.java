package vfiowb.workbench.capacity;

/**
 * Byte counts and offsets as the layout and capacity reports spell them: exact hex for offsets,
 * binary units for lengths ({@code 1 TiB - 64 KiB} rather than a rounded decimal, so a reader
 * sees where a gap comes from).
 */
public final class Bytes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Bytes() {}

    /** {@code 0x1f}: lower-case hex of the unsigned value. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /**
     * {@code 64 KiB}, {@code 1 TiB - 64 KiB}, {@code 16 KiB + 256 B}: exact in binary units, as a
     * multiple of the largest unit it reaches, plus or minus an exact remainder where that is
     * shorter than a decimal; else two decimals ({@code 1.37 GiB}). Unsigned.
     */
    public static String human(long v) {
        if (v == 0) {
            return "0 B";
        }
        if (v < 0) {
            return hex(v);
        }
        int u = unit(v);
        long unit = 1L << (10 * u);
        if (v % unit == 0) {
            return v / unit + " " + UNITS[u];
        }
        long down = v / unit * unit;
        long up = down + unit;
        String plus = exact(v - down);
        String minus = up > 0 ? exact(up - v) : null;
        String a = plus == null ? null : down / unit + " " + UNITS[u] + " + " + plus;
        String b = minus == null ? null : human(up) + " - " + minus;
        if (a != null && (b == null || a.length() <= b.length())) {
            return a;
        }
        if (b != null) {
            return b;
        }
        return String.format(java.util.Locale.ROOT, "%.2f %s", (double) v / unit, UNITS[u]);
    }

    /** The remainder spelled as one exact unit multiple below 1024, or null. */
    private static String exact(long r) {
        int u = unit(r);
        long unit = 1L << (10 * u);
        return r % unit == 0 ? r / unit + " " + UNITS[u] : null;
    }

    private static int unit(long v) {
        int u = 0;
        while (u + 1 < UNITS.length && Long.compareUnsigned(v, 1L << (10 * (u + 1))) >= 0) {
            u++;
        }
        return u;
    }

    /**
     * The alignment of {@code offset}: the largest power of two dividing it, or 0 for offset 0
     * (aligned to everything).
     */
    public static long alignment(long offset) {
        return offset == 0 ? 0 : Long.lowestOneBit(offset);
    }

    /** {@link #alignment} for people: {@code 1 TiB}, or {@code any} for offset 0. */
    public static String alignmentText(long offset) {
        return offset == 0 ? "any" : human(alignment(offset));
    }
}
