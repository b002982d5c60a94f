package vfiowb.workbench.walk;

import java.util.ArrayList;
import java.util.List;

/** A line diff (longest common subsequence), as {@code diff} would show two transcripts. */
public final class Diff {
    private Diff() {}

    /** One line of the diff: {@code ' '} in both, {@code '-'} only in the old, {@code '+'} only in the new. */
    public record Edit(char op, String line, int oldIndex, int newIndex) {}

    /** The edit script turning {@code a} into {@code b}, in order. */
    public static List<Edit> lines(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                out.add(new Edit(' ', a.get(i), i++, j++));
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add(new Edit('+', b.get(j), -1, j++));
            } else {
                out.add(new Edit('-', a.get(i), i++, -1));
            }
        }
        return out;
    }

    /** Whether the script changes anything. */
    public static boolean changes(List<Edit> edits) {
        return edits.stream().anyMatch(e -> e.op() != ' ');
    }
}
