package vfiowb.rulefixture.removal.good.drivers.fine;

/** Names close to the old ones that are not them: a page offset inside a cookie, a reader. */
public final class CookieDriver {
    static final int PAGE_SHIFT = 12;

    private CookieDriver() {}

    static long vmaPageOffset(long vmPgoff, long objPgoff) {
        return vmPgoff - objPgoff;
    }

    static long read(long off) {
        return off;
    }
}
