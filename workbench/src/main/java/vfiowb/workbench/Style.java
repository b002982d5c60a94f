package vfiowb.workbench;

/**
 * Colour for text reports: on only when the output is a terminal and {@code NO_COLOR} is unset
 * (decided once by {@link Main}); tests and pipes get plain text.
 */
public final class Style {
    private static final String RESET = "\u001b[0m";

    private final boolean colour;

    public Style(boolean colour) {
        this.colour = colour;
    }

    /** Whether {@code NO_COLOR} (https://no-color.org) asks for no colour: set and not empty. */
    public static boolean noColorRequested(String noColorEnv) {
        return noColorEnv != null && !noColorEnv.isEmpty();
    }

    public String pass(String s) {
        return paint("\u001b[32m", s);
    }

    public String fail(String s) {
        return paint("\u001b[31m", s);
    }

    public String note(String s) {
        return paint("\u001b[33m", s);
    }

    public String bold(String s) {
        return paint("\u001b[1m", s);
    }

    public String dim(String s) {
        return paint("\u001b[2m", s);
    }

    private String paint(String sgr, String s) {
        return !colour || s.isEmpty() ? s : sgr + s + RESET;
    }
}
