package vfiowb.workbench.io;

/**
 * Text from untrusted input made safe to print on one terminal line: control characters,
 * invisible formatting characters (bidirectional overrides, byte-order marks, zero-width
 * characters), line separators and lone surrogates are shown as escapes ({@code \x00},
 * {@code <U+202E>}), so a message never carries raw input bytes that could move the cursor,
 * split the line or hide text.
 */
public final class Printable {
    private Printable() {}

    /** {@code s} with every character that is not safe to show escaped. */
    public static String of(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (safe(cp)) {
                if (sb != null) {
                    sb.appendCodePoint(cp);
                }
            } else {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(escape(cp));
            }
            i += n;
        }
        return sb == null ? s : sb.toString();
    }

    /** Whether {@code cp} may be printed as it is. */
    public static boolean safe(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
            case Character.PRIVATE_USE:
                return false;
            default:
                return true;
        }
    }

    /** {@code \x1c} for a code point below 0x100, {@code <U+202E>} above. */
    public static String escape(int cp) {
        return cp < 0x100 ? String.format("\\x%02x", cp) : String.format("<U+%04X>", cp);
    }

    /** {@code U+001C}: the name of a code point in a message. */
    public static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }
}
