package vfiowb.workbench.script;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import vfiowb.workbench.io.LineReader;
import vfiowb.workbench.io.Printable;

/**
 * The lines of a script file, checked to be plain UTF-8 text before anything parses them: a
 * byte-order mark, bytes that are not UTF-8, NUL and other control characters (tab aside) and
 * invisible formatting characters are refused with the line and column, never echoed. Lines
 * longer than {@link vfiowb.workbench.io.InputLimits#MAX_LINE_BYTES} are refused without being
 * read whole.
 */
public final class ScriptSource {
    private static final int BOM = 0xFEFF;

    private ScriptSource() {}

    /**
     * Reads every line of {@code in}.
     *
     * @throws ScriptError at the first line that is not plain text
     * @throws IOException if reading fails
     */
    public static List<String> read(InputStream in) throws IOException {
        LineReader r = new LineReader(in);
        List<String> lines = new ArrayList<>();
        for (LineReader.Line l = r.next(); l != null; l = r.next()) {
            int n = (int) Math.min(Integer.MAX_VALUE, l.number());
            if (l.problem() != null) {
                throw new ScriptError(n, l.problem());
            }
            check(n, l.text());
            lines.add(l.text());
        }
        return lines;
    }

    private static void check(int line, String text) {
        int column = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            column++;
            if (cp == BOM) {
                throw new ScriptError(line, line == 1 && i == 0
                        ? "the file starts with a byte-order mark (U+FEFF); save it as UTF-8 "
                                + "without one"
                        : "byte-order mark (U+FEFF) at column " + column + "; remove it");
            }
            if (cp == 0) {
                throw new ScriptError(line, "NUL byte at column " + column
                        + "; a script is text, not binary");
            }
            if (cp != '\t' && Character.getType(cp) == Character.CONTROL) {
                throw new ScriptError(line, "control character " + Printable.escape(cp)
                        + " at column " + column + "; a script is plain text");
            }
            if (Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                throw new ScriptError(line, "invisible character " + Printable.codePoint(cp)
                        + " at column " + column + "; remove it");
            }
            i += Character.charCount(cp);
        }
    }
}
