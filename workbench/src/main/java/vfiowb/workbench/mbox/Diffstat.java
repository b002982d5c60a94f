package vfiowb.workbench.mbox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import vfiowb.workbench.series.SourceTree;

/**
 * What a patch touches, counted as {@code git diff --stat} counts it, twice: by the model's
 * files, and by the kernel files the changed model code names in its {@code @Models} (each
 * changed line counted for every kernel file its innermost annotated declaration models; a line
 * outside any annotated declaration counts for none). For each kernel file, the modelled names
 * (functions, structures, ops tables) whose declarations the patch changes, adds or removes.
 */
public final class Diffstat {
    /** One row: a name and its changed lines. */
    public record Row(String name, int insertions, int deletions) {
        int changes() {
            return insertions + deletions;
        }
    }

    /**
     * One kernel file: its rows' counts and the modelled names the patch changes, adds (only in
     * the later tree) and removes (only in the earlier one), each sorted.
     */
    public record KernelFile(Row row, List<String> changed, List<String> added, List<String> removed) {
        public KernelFile {
            changed = List.copyOf(changed);
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /** The width {@code git format-patch} fills with a diffstat. */
    public static final int WIDTH = 72;

    private final List<Row> files;
    private final List<KernelFile> kernel;

    private Diffstat(List<Row> files, List<KernelFile> kernel) {
        this.files = List.copyOf(files);
        this.kernel = List.copyOf(kernel);
    }

    /** The model's files, in patch order. */
    public List<Row> files() {
        return files;
    }

    /** The kernel files the changed model code names, sorted by path. */
    public List<KernelFile> kernel() {
        return kernel;
    }

    /**
     * The diffstat of {@code diff} (a patch from {@code from} to {@code to}, both normalised
     * trees holding every file it names).
     */
    public static Diffstat of(String diff, SourceTree from, SourceTree to) {
        List<Row> rows = new ArrayList<>();
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Set<String>> touched = new TreeMap<>();
        Set<String> oldNames = new LinkedHashSet<>();
        Set<String> newNames = new LinkedHashSet<>();
        for (ParsedDiff.FileDiff f : ParsedDiff.parse(diff)) {
            rows.add(new Row(f.path(), f.insertions(), f.deletions()));
            ModelIndex before = index(from.get(f.path()));
            ModelIndex after = index(to.get(f.path()));
            before.decls().forEach(d -> oldNames.addAll(d.models()));
            after.decls().forEach(d -> newNames.addAll(d.models()));
            for (ParsedDiff.Change c : f.changes()) {
                ModelIndex.Decl d = (c.added() ? after : before).at(c.line());
                if (d == null) {
                    continue;
                }
                Set<String> filesOfLine = new LinkedHashSet<>();
                for (String m : d.models()) {
                    String file = kernelFile(m);
                    filesOfLine.add(file);
                    touched.computeIfAbsent(file, k -> new java.util.TreeSet<>()).add(m);
                }
                for (String file : filesOfLine) {
                    counts.computeIfAbsent(file, k -> new int[2])[c.added() ? 0 : 1]++;
                }
            }
        }
        List<KernelFile> kernel = new ArrayList<>();
        for (var e : touched.entrySet()) {
            List<String> changed = new ArrayList<>();
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (String m : e.getValue()) {
                String name = modelledName(m);
                if (!oldNames.contains(m)) {
                    added.add(name);
                } else if (!newNames.contains(m)) {
                    removed.add(name);
                } else {
                    changed.add(name);
                }
            }
            int[] n = counts.get(e.getKey());
            kernel.add(new KernelFile(new Row(e.getKey(), n[0], n[1]), changed, added, removed));
        }
        return new Diffstat(rows, kernel);
    }

    private static ModelIndex index(String text) {
        return ModelIndex.of(text == null ? "" : text);
    }

    /** {@code drivers/vfio/pci/mlx5/main.c} of {@code drivers/vfio/pci/mlx5/main.c:mlx5vf_pci_ops}. */
    static String kernelFile(String models) {
        int colon = models.indexOf(':');
        return colon < 0 ? models.trim() : models.substring(0, colon).trim();
    }

    /** {@code mlx5vf_pci_ops}; a reference to a whole file is {@code (file scope)}. */
    static String modelledName(String models) {
        int colon = models.indexOf(':');
        return colon < 0 ? "(file scope)" : models.substring(colon + 1).trim();
    }

    /** Sums the model's files of several diffstats (a stage or a whole series). */
    public static List<Row> sum(List<Diffstat> stats) {
        Map<String, int[]> m = new java.util.LinkedHashMap<>();
        for (Diffstat d : stats) {
            for (Row r : d.files) {
                int[] n = m.computeIfAbsent(r.name(), k -> new int[2]);
                n[0] += r.insertions();
                n[1] += r.deletions();
            }
        }
        List<Row> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(new Row(k, v[0], v[1])));
        return out;
    }

    /**
     * The model's files as {@code git diff --stat} prints them ({@code  NAME | N ++--}, the
     * graph scaled to fit {@link #WIDTH} but never under ten columns, names never shortened),
     * then the summary line.
     */
    public String render() {
        return table(files) + summary(files);
    }

    /**
     * The kernel files, as a second diffstat under a heading; empty when no changed line is in
     * annotated code.
     */
    public String renderKernel() {
        if (kernel.isEmpty()) {
            return "";
        }
        return " Kernel files the changed code models (its @Models), by changed lines:\n"
                + table(kernel.stream().map(KernelFile::row).toList());
    }

    /** The rows as {@code git diff --stat} aligns them, without the summary. */
    public static String table(List<Row> rows) {
        int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        int max = rows.stream().mapToInt(Row::changes).max().orElse(0);
        int countWidth = String.valueOf(max).length();
        int graph = Math.max(10, WIDTH - nameWidth - countWidth - 5);
        StringBuilder sb = new StringBuilder();
        for (Row r : rows) {
            int plus = r.insertions();
            int minus = r.deletions();
            if (max > graph) {
                plus = scale(r.insertions(), max, graph);
                minus = scale(r.deletions(), max, graph);
            }
            sb.append(' ').append(pad(r.name(), nameWidth)).append(" | ")
                    .append(String.format("%" + countWidth + "d", r.changes()));
            if (r.changes() > 0) {
                sb.append(' ').append("+".repeat(plus)).append("-".repeat(minus));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code  3 files changed, 10 insertions(+), 2 deletions(-)}, as git words it. */
    public static String summary(List<Row> rows) {
        int ins = rows.stream().mapToInt(Row::insertions).sum();
        int del = rows.stream().mapToInt(Row::deletions).sum();
        StringBuilder sb = new StringBuilder(" ").append(rows.size())
                .append(rows.size() == 1 ? " file changed" : " files changed");
        if (ins > 0 || del == 0) {
            sb.append(", ").append(ins).append(ins == 1 ? " insertion(+)" : " insertions(+)");
        }
        if (del > 0 || ins == 0) {
            sb.append(", ").append(del).append(del == 1 ? " deletion(-)" : " deletions(-)");
        }
        return sb.append('\n').toString();
    }

    /** git's scaling: proportional, at least one column for a non-zero count. */
    private static int scale(int n, int max, int width) {
        if (n == 0) {
            return 0;
        }
        return Math.max(1, (int) ((long) n * width / max));
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
