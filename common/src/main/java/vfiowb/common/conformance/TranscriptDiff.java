package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in unified format ({@code diff -u}), for comparing transcripts of two stages.
 *
 * <p>Common leading and trailing lines are set aside first; the rest is aligned by a longest
 * common subsequence. When the differing middle is too large for that table
 * ({@value #MAX_CELLS} cells) it is shown as one replaced block, which is still a correct diff.
 */
public final class TranscriptDiff {
    private static final int MAX_CELLS = 4_000_000;

    private TranscriptDiff() {}

    /**
     * One line of the edit script: {@code ' '} kept, {@code '-'} only in a, {@code '+'} only in
     * b. {@code aPos}/{@code bPos} count the lines of each side before this one (so for a line
     * present on a side, its 0-based index there).
     */
    public record Edit(char op, String line, int aPos, int bPos) {}

    /** The edit script turning {@code a} into {@code b}. */
    public static List<Edit> edits(List<String> a, List<String> b) {
        int pre = 0;
        while (pre < a.size() && pre < b.size() && a.get(pre).equals(b.get(pre))) {
            pre++;
        }
        int suf = 0;
        while (suf < a.size() - pre && suf < b.size() - pre
                && a.get(a.size() - 1 - suf).equals(b.get(b.size() - 1 - suf))) {
            suf++;
        }
        List<Edit> out = new ArrayList<>();
        for (int i = 0; i < pre; i++) {
            out.add(new Edit(' ', a.get(i), i, i));
        }
        int n = a.size() - pre - suf;
        int m = b.size() - pre - suf;
        if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                out.add(new Edit('-', a.get(pre + i), pre + i, pre));
            }
            for (int j = 0; j < m; j++) {
                out.add(new Edit('+', b.get(pre + j), pre + n, pre + j));
            }
        } else {
            int[][] lcs = new int[n + 1][m + 1];
            for (int i = n - 1; i >= 0; i--) {
                for (int j = m - 1; j >= 0; j--) {
                    lcs[i][j] = a.get(pre + i).equals(b.get(pre + j)) ? lcs[i + 1][j + 1] + 1
                            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
                }
            }
            int i = 0;
            int j = 0;
            while (i < n || j < m) {
                if (i < n && j < m && a.get(pre + i).equals(b.get(pre + j))) {
                    out.add(new Edit(' ', a.get(pre + i), pre + i, pre + j));
                    i++;
                    j++;
                } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                    out.add(new Edit('-', a.get(pre + i), pre + i, pre + j));
                    i++;
                } else {
                    out.add(new Edit('+', b.get(pre + j), pre + i, pre + j));
                    j++;
                }
            }
        }
        for (int k = 0; k < suf; k++) {
            int ai = a.size() - suf + k;
            int bi = b.size() - suf + k;
            out.add(new Edit(' ', a.get(ai), ai, bi));
        }
        return out;
    }

    /**
     * {@code a} and {@code b} as a unified diff with {@code context} lines around each change;
     * the empty string when they are equal.
     */
    public static String unified(String aLabel, List<String> a, String bLabel, List<String> b,
            int context) {
        List<Edit> edits = edits(a, b);
        StringBuilder sb = new StringBuilder();
        int k = 0;
        while (k < edits.size()) {
            if (edits.get(k).op() == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - context);
            int end = k;
            int lastChange = k;
            while (end < edits.size()) {
                if (edits.get(end).op() != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * context) {
                    break;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + context + 1);
            if (sb.length() == 0) {
                sb.append("--- ").append(aLabel).append('\n');
                sb.append("+++ ").append(bLabel).append('\n');
            }
            hunk(sb, edits.subList(start, end));
            k = end;
        }
        return sb.toString();
    }

    private static void hunk(StringBuilder sb, List<Edit> h) {
        int aCount = 0;
        int bCount = 0;
        for (Edit e : h) {
            if (e.op() != '+') {
                aCount++;
            }
            if (e.op() != '-') {
                bCount++;
            }
        }
        sb.append("@@ -").append(range(h.get(0).aPos(), aCount))
                .append(" +").append(range(h.get(0).bPos(), bCount)).append(" @@\n");
        for (Edit e : h) {
            sb.append(e.op()).append(e.line()).append('\n');
        }
    }

    /** 1-based start and count; an empty side names the line before it, as diff -u does. */
    private static String range(int pos, int count) {
        if (count == 0) {
            return pos + ",0";
        }
        return (pos + 1) + (count == 1 ? "" : "," + count);
    }
}
