package vfiowb.workbench.mbox;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git-style patch as {@link vfiowb.workbench.series.GitPatch} writes it, read back: per file,
 * its path and every removed and added line with its line number on its own side (old for
 * removed, new for added). What the diffstat and the {@code @Models} attribution need, nothing
 * more.
 */
public final class ParsedDiff {
    /** One changed line: {@code added} or removed, at {@code line} (1-based) of its side. */
    public record Change(boolean added, int line) {}

    /** One file of the patch: its path and its changed lines in patch order. */
    public record FileDiff(String path, List<Change> changes) {
        public FileDiff {
            changes = List.copyOf(changes);
        }

        public int insertions() {
            return (int) changes.stream().filter(Change::added).count();
        }

        public int deletions() {
            return changes.size() - insertions();
        }
    }

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");

    private ParsedDiff() {}

    /**
     * The files of {@code patch} in order. Text before the first {@code diff --git} line is
     * ignored.
     *
     * @throws IllegalArgumentException when a hunk is malformed (a bug of the writer)
     */
    public static List<FileDiff> parse(String patch) {
        List<FileDiff> out = new ArrayList<>();
        String path = null;
        List<Change> changes = new ArrayList<>();
        int oldLine = 0;
        int newLine = 0;
        int oldLeft = 0;
        int newLeft = 0;
        for (String l : patch.split("\n", -1)) {
            if (oldLeft > 0 || newLeft > 0) {
                if (l.startsWith("-")) {
                    changes.add(new Change(false, oldLine++));
                    oldLeft--;
                } else if (l.startsWith("+")) {
                    changes.add(new Change(true, newLine++));
                    newLeft--;
                } else if (l.startsWith(" ")) {
                    oldLine++;
                    newLine++;
                    oldLeft--;
                    newLeft--;
                } else if (!l.startsWith("\\")) {
                    throw new IllegalArgumentException("hunk of " + path + " ends early at: " + l);
                }
                continue;
            }
            if (l.startsWith("diff --git a/")) {
                if (path != null) {
                    out.add(new FileDiff(path, changes));
                }
                path = l.substring("diff --git a/".length(), l.indexOf(" b/"));
                changes = new ArrayList<>();
                continue;
            }
            Matcher m = HUNK.matcher(l);
            if (path != null && m.find()) {
                oldLeft = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                newLeft = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
                oldLine = Math.max(1, Integer.parseInt(m.group(1)));
                newLine = Math.max(1, Integer.parseInt(m.group(3)));
            }
        }
        if (path != null) {
            out.add(new FileDiff(path, changes));
        }
        return out;
    }
}
