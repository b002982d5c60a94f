package vfiowb.workbench.series;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vfiowb.workbench.UserError;

/** The patch text is git's format, and {@code git apply} turns the old tree into the new one. */
class GitPatchTest {
    @TempDir
    Path dir;

    static SourceTree tree(String... pathsAndTexts) {
        SortedMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            m.put(pathsAndTexts[i], pathsAndTexts[i + 1]);
        }
        return new SourceTree(m);
    }

    @Test
    void modifiedAddedDeletedEmptyAndNoNewlineFilesInGitsFormat() {
        SourceTree from = tree("a.txt", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "c.txt", "gone\n",
                "d.txt", "same\n");
        SourceTree to = tree("a.txt", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n", "b.txt", "x",
                "d.txt", "same\n", "e/empty.txt", "");
        String expected = ""
                + "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -2,7 +2,7 @@\n"
                + " 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
                + "diff --git a/b.txt b/b.txt\nnew file mode 100644\n--- /dev/null\n+++ b/b.txt\n"
                + "@@ -0,0 +1 @@\n+x\n\\ No newline at end of file\n"
                + "diff --git a/c.txt b/c.txt\ndeleted file mode 100644\n--- a/c.txt\n+++ /dev/null\n"
                + "@@ -1 +0,0 @@\n-gone\n"
                + "diff --git a/e/empty.txt b/e/empty.txt\nnew file mode 100644\n";
        String patch = GitPatch.diff(from, to);
        assertEquals(expected, patch);
        assertEquals(to, GitApply.apply(dir, from, patch));
    }

    @Test
    void nearbyChangesShareAHunkDistantOnesDoNot() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            lines.add("line " + i + "\n");
        }
        String a = String.join("", lines);
        lines.set(4, "changed 5\n");
        lines.set(10, "changed 11\n");
        lines.set(25, "changed 26\n");
        String b = String.join("", lines);
        String patch = GitPatch.diff(tree("f", a), tree("f", b));
        assertEquals(2, patch.split("\n@@ ", -1).length - 1, patch);
        assertEquals(true, patch.contains("@@ -2,13 +2,13 @@\n"), patch);
        assertEquals(true, patch.contains("@@ -23,7 +23,7 @@\n"), patch);
        assertEquals(tree("f", b), GitApply.apply(dir, tree("f", a), patch));
    }

    @Test
    void equalTreesGiveAnEmptyPatchAndOddPathsAreRefused() {
        assertEquals("", GitPatch.diff(tree("a", "x\n"), tree("a", "x\n")));
        assertThrows(UserError.class, () -> GitPatch.diff(tree(), tree("a b.txt", "x\n")));
    }

    private static final int ROUNDS = 25;

    @Test
    void seededRandomEditsApplyWithGit() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < ROUNDS; round++) {
            SortedMap<String, String> a = new TreeMap<>();
            SortedMap<String, String> b = new TreeMap<>();
            for (int f = 0; f < 4; f++) {
                String name = "d" + r.nextInt(2) + "/f" + f + ".txt";
                String before = randomText(r);
                if (r.nextInt(5) > 0) {
                    a.put(name, before);
                }
                if (r.nextInt(5) > 0) {
                    b.put(name, r.nextBoolean() ? edit(r, before) : randomText(r));
                }
            }
            SourceTree from = new SourceTree(a);
            SourceTree to = new SourceTree(b);
            String patch = GitPatch.diff(from, to);
            String context = "seed " + seed + " (replay with new SplittableRandom(" + seed + "L)), round "
                    + round + "\n" + patch;
            if (patch.isEmpty()) {
                // Both sides drew the same tree: there is nothing for git to apply.
                assertEquals(from, to, context);
                continue;
            }
            Path at = dir.resolve("r" + round);
            assertEquals(to, assertDoesNotThrow(() -> GitApply.apply(at, from, patch), context), context);
        }
    }

    private static String randomText(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(25);
        for (int i = 0; i < n; i++) {
            sb.append("l").append(r.nextInt(6)).append('\n');
        }
        if (r.nextInt(4) == 0) {
            sb.append("tail").append(r.nextInt(3));
        }
        return sb.toString();
    }

    private static String edit(SplittableRandom r, String text) {
        List<String> lines = new ArrayList<>(GitPatch.lines(text));
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = lines.isEmpty() ? 0 : r.nextInt(lines.size() + 1);
            switch (r.nextInt(3)) {
                case 0:
                    lines.add(Math.min(at, lines.size()), "new" + r.nextInt(9) + "\n");
                    break;
                case 1:
                    if (at < lines.size()) {
                        lines.remove(at);
                    }
                    break;
                default:
                    if (at < lines.size()) {
                        lines.set(at, "mod" + r.nextInt(9) + "\n");
                    }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            sb.append(i < lines.size() - 1 && !l.endsWith("\n") ? l + "\n" : l);
        }
        if (r.nextInt(5) == 0 && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\n') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }
}
