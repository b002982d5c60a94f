package vfiowb.workbench.series;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import vfiowb.workbench.UserError;

/**
 * A git-style unified diff between two trees, in the form {@code git apply} reads: for each file
 * whose text differs, in path order, a {@code diff --git a/P b/P} header ({@code new file mode
 * 100644} or {@code deleted file mode 100644} for an added or deleted file), {@code --- a/P} and
 * {@code +++ b/P} ({@code /dev/null} for the missing side) and hunks with three lines of context,
 * hunks closer than six lines merged as GNU diff does. A last line without a newline is marked
 * {@code \ No newline at end of file}; an added or deleted empty file has the header only. There
 * are no {@code index} lines (the normalised blobs exist in no repository) and every file mode is
 * 100644. The line matching is java-diff-utils' Myers diff, so the output is a function of the
 * two trees alone.
 */
public final class GitPatch {
    /** Lines of context around each change. */
    public static final int CONTEXT = 3;
    private static final String NO_NEWLINE = "\\ No newline at end of file\n";
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9._/+@=,-]+");

    private GitPatch() {}

    /** The patch turning {@code from} into {@code to}; empty when they are equal. */
    public static String diff(SourceTree from, SourceTree to) {
        TreeSet<String> paths = new TreeSet<>(from.files().keySet());
        paths.addAll(to.files().keySet());
        StringBuilder sb = new StringBuilder();
        for (String p : paths) {
            file(sb, p, from.get(p), to.get(p));
        }
        return sb.toString();
    }

    /** The part of a patch for one file; nothing when {@code a} equals {@code b}. */
    static void file(StringBuilder sb, String path, String a, String b) {
        if (a == null ? b == null : a.equals(b)) {
            return;
        }
        if (!PLAIN_PATH.matcher(path).matches() || path.contains("//") || path.startsWith("/")) {
            throw new UserError("'" + path + "' would need quoting in a git patch; rename it");
        }
        sb.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
        if (a == null) {
            sb.append("new file mode 100644\n");
        } else if (b == null) {
            sb.append("deleted file mode 100644\n");
        }
        List<String> from = lines(a);
        List<String> to = lines(b);
        if (from.isEmpty() && to.isEmpty()) {
            return;
        }
        sb.append("--- ").append(a == null ? "/dev/null" : "a/" + path).append('\n');
        sb.append("+++ ").append(b == null ? "/dev/null" : "b/" + path).append('\n');
        hunks(sb, from, to);
    }

    /**
     * The lines of {@code text}, each with its newline; a last line without one stays without, so
     * that it differs from the same line with a newline, as in git.
     */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static void hunks(StringBuilder sb, List<String> from, List<String> to) {
        List<AbstractDelta<String>> deltas = DiffUtils.diff(from, to).getDeltas();
        int i = 0;
        while (i < deltas.size()) {
            int j = i;
            while (j + 1 < deltas.size() && deltas.get(j + 1).getSource().getPosition()
                    - sourceEnd(deltas.get(j)) <= 2 * CONTEXT) {
                j++;
            }
            hunk(sb, from, to, deltas.subList(i, j + 1));
            i = j + 1;
        }
    }

    private static void hunk(StringBuilder sb, List<String> from, List<String> to,
            List<AbstractDelta<String>> group) {
        AbstractDelta<String> first = group.get(0);
        AbstractDelta<String> last = group.get(group.size() - 1);
        int start = Math.max(0, first.getSource().getPosition() - CONTEXT);
        int end = Math.min(from.size(), sourceEnd(last) + CONTEXT);
        int lead = first.getSource().getPosition() - start;
        int targetStart = first.getTarget().getPosition() - lead;
        int targetEnd = last.getTarget().getPosition() + last.getTarget().size()
                + (end - sourceEnd(last));
        sb.append("@@ -").append(range(start, end - start)).append(" +")
                .append(range(targetStart, targetEnd - targetStart)).append(" @@\n");
        int pos = start;
        for (AbstractDelta<String> d : group) {
            for (; pos < d.getSource().getPosition(); pos++) {
                line(sb, ' ', from.get(pos));
            }
            for (String l : d.getSource().getLines()) {
                line(sb, '-', l);
            }
            for (String l : d.getTarget().getLines()) {
                line(sb, '+', l);
            }
            pos = sourceEnd(d);
        }
        for (; pos < end; pos++) {
            line(sb, ' ', from.get(pos));
        }
    }

    private static int sourceEnd(AbstractDelta<String> d) {
        return d.getSource().getPosition() + d.getSource().size();
    }

    /** A hunk range as diff writes it: 1-based start, count omitted when 1, start 0-based when empty. */
    private static String range(int start, int count) {
        if (count == 0) {
            return start + ",0";
        }
        return count == 1 ? String.valueOf(start + 1) : (start + 1) + "," + count;
    }

    private static void line(StringBuilder sb, char mark, String line) {
        sb.append(mark).append(line);
        if (!line.endsWith("\n")) {
            sb.append('\n').append(NO_NEWLINE);
        }
    }
}
