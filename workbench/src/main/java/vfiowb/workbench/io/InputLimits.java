package vfiowb.workbench.io;

/**
 * The bounds every untrusted input of the workbench is held to, in one place: a {@code serve}
 * request line and a {@code run} script line alike. Input past a bound is refused with one line
 * that names it, never read whole, expanded or recursed into; docs/serve.md and
 * docs/scenarios.md quote these numbers.
 */
public final class InputLimits {
    /**
     * The longest line, in bytes without its newline: a serve request or a script line. Enough
     * for a request carrying the largest buffer as hex ({@link #MAX_BUFFER_BYTES} twice over)
     * with room to spare.
     */
    public static final int MAX_LINE_BYTES = 1 << 20;

    /**
     * The largest user buffer a request or a script asks for: a pread count, an ioctl argument,
     * pwrite data. The kernel takes larger ones, but no VFIO call needs them and a typo must not
     * exhaust memory.
     */
    public static final int MAX_BUFFER_BYTES = 256 << 10;

    /**
     * The deepest nesting: JSON arrays and objects in a request; parentheses and unary
     * operators in a script expression.
     */
    public static final int MAX_NESTING = 64;

    /**
     * The longest number as written: a JSON number, a script literal (with its {@code 0x},
     * {@code _} separators and suffix). A 64-bit value needs at most 20 decimal digits, so
     * nothing longer can be a value the workbench takes, and nothing is ever expanded
     * ({@code 1e100000000} is refused as written, not computed).
     */
    public static final int MAX_NUMBER_CHARS = 40;

    private InputLimits() {}

    /** {@code 1 MiB}, {@code 256 KiB}, {@code 40}: how a limit reads in a message. */
    public static String bytes(long n) {
        if (n >= (1 << 20) && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1024 && n % 1024 == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " bytes";
    }
}
