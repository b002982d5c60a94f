package vfiowb.workbench.series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code series/}: for each pair of adjacent stage modules that both have sources, a directory
 * {@code stepK-to-stepM/} holding the stage's patches {@code NNNN-UNIT.patch}, one per {@link
 * PatchUnit} the stage changes (core, pci, each driver, tests, in that order), each the {@link
 * GitPatch} of that unit's files between stage K's and stage M's normalised {@code src/} trees
 * ({@link StageNormaliser}) after a kernel-style {@code Subject:} header that {@code git apply}
 * skips. The units' files are disjoint, so applying the patches in order turns stage K's tree into
 * stage M's. Every {@code *.patch} file under {@code series/} is the command's: one no pair
 * produces is stale too.
 */
public final class Series {
    /** The command that rewrites {@code series/}, as a user types it at the repository root. */
    public static final String UPDATE_COMMAND = "./vfio-workbench series --update";

    private Series() {}

    /**
     * One file of {@code series/}: its path under {@code series/} ({@code
     * step3-to-step4/0002-pci.patch}), the stages, the unit, the subject, the expected text, and
     * the parts it is made of: the normalised paths it changes, the stage's other subjects on the
     * unit folded into it, and the diff after the header.
     */
    public record Patch(String fileName, StageModule from, StageModule to, PatchUnit unit,
            String subject, String text, List<String> paths, List<String> folded, String diff) {
        public Patch {
            paths = List.copyOf(paths);
            folded = List.copyOf(folded);
        }
    }

    /**
     * One pair of adjacent stage modules with sources: both normalised trees and the stage's
     * patches in series order.
     */
    public record Pair(StageModule from, StageModule to, SourceTree fromTree, SourceTree toTree,
            List<Patch> patches) {
        public Pair {
            patches = List.copyOf(patches);
        }
    }

    /** How one file of {@code series/} compares with what the modules produce. */
    public enum State {
        UP_TO_DATE, STALE, MISSING, EXTRA
    }

    /** One file's state. */
    public record Entry(String fileName, State state) {
        /** One line for a person, naming the file under {@code series/}. */
        public String describe() {
            String f = "series/" + fileName;
            switch (state) {
                case UP_TO_DATE:
                    return f + " is up to date";
                case STALE:
                    return f + " is stale: it differs from what the stage modules produce";
                case MISSING:
                    return f + " is missing";
                default:
                    return f + " is produced by no pair of adjacent stages with sources";
            }
        }
    }

    /**
     * The directory of the patches from stage {@code from} to stage {@code to}
     * ({@code step3-to-step4}), or to variant {@code to} ({@code step5-to-wc-cookie}).
     */
    public static String dirName(StageModule from, StageModule to) {
        return "step" + from.number() + "-to-" + (to.isVariant() ? to.variant() : "step" + to.number());
    }

    /** Every patch the stage modules produce now, in stage order and in series order within a stage. */
    public static List<Patch> expected(Repo repo) {
        List<Patch> out = new ArrayList<>();
        for (Pair p : pairs(repo)) {
            out.addAll(p.patches());
        }
        for (StageModule v : repo.variants()) {
            StageModule base = repo.stage(v.number());
            if (!base.hasSources() || !v.hasSources()) {
                continue;
            }
            out.addAll(pair(base, v, SourceTree.working(base).normalise(base),
                    SourceTree.working(v).normalise(v)));
        }
        return out;
    }

    /**
     * Every pair of adjacent stage modules that both have sources, in stage order: the series
     * itself, without the variants built on its last stage (an RFC is posted on its own).
     */
    public static List<Pair> pairs(Repo repo) {
        List<Pair> out = new ArrayList<>();
        List<StageModule> stages = repo.stages();
        for (int i = 0; i + 1 < stages.size(); i++) {
            StageModule a = stages.get(i);
            StageModule b = stages.get(i + 1);
            if (!a.hasSources() || !b.hasSources()) {
                continue;
            }
            SourceTree from = SourceTree.working(a).normalise(a.number());
            SourceTree to = SourceTree.working(b).normalise(b.number());
            out.add(new Pair(a, b, from, to, pair(a, b, from, to)));
        }
        return out;
    }

    /** The patches of one stage pair, given both normalised trees. */
    static List<Patch> pair(StageModule a, StageModule b, SourceTree from, SourceTree to) {
        SortedMap<PatchUnit, SortedSet<String>> units = new TreeMap<>();
        SortedSet<String> paths = new TreeSet<>(from.files().keySet());
        paths.addAll(to.files().keySet());
        Set<String> drivers = PatchUnit.drivers(paths);
        for (String p : paths) {
            if (!Objects.equals(from.get(p), to.get(p))) {
                units.computeIfAbsent(PatchUnit.of(p, drivers), u -> new TreeSet<>()).add(p);
            }
        }
        StageMetadata meta = StageMetadata.of(to);
        Set<String> used = new HashSet<>();
        List<Patch> out = new ArrayList<>();
        int n = 0;
        for (var e : units.entrySet()) {
            PatchUnit unit = e.getKey();
            List<String> matching = meta.patchSubjects().stream().filter(unit::matches).toList();
            String subject = matching.stream().filter(s -> !used.contains(s)).findFirst()
                    .orElse(matching.isEmpty() ? unit.prefix() + ": "
                            + (meta.title().isEmpty() ? (b.isVariant() ? "Variant " + b.variant()
                                    : "Stage " + b.number()) : meta.title())
                            : matching.get(0));
            used.add(subject);
            n++;
            String header = header(a, b, unit, subject, n, units.size(), matching, e.getValue());
            String diff = GitPatch.diff(restrict(from, e.getValue()), restrict(to, e.getValue()));
            String name = dirName(a, b) + "/" + String.format("%04d-%s.patch", n, unit.name());
            List<String> folded = matching.stream().filter(s -> !s.equals(subject)).toList();
            out.add(new Patch(name, a, b, unit, subject, header + diff, new ArrayList<>(e.getValue()),
                    folded, diff));
        }
        return out;
    }

    private static SourceTree restrict(SourceTree t, Set<String> paths) {
        SortedMap<String, String> m = new TreeMap<>(t.files());
        m.keySet().retainAll(paths);
        return new SourceTree(m);
    }

    private static String header(StageModule a, StageModule b, PatchUnit unit, String subject, int n,
            int total, List<String> matching, Set<String> paths) {
        StringBuilder sb = new StringBuilder();
        sb.append("Subject: [PATCH ").append(n).append('/').append(total).append("] ").append(subject)
                .append("\n\n");
        if (b.isVariant()) {
            sb.append("Variant ").append(b.variant()).append(" (an RFC on stage ").append(a.number())
                    .append(") against stage ").append(a.number()).append(" (").append(a.name())
                    .append("), unit '").append(unit.name())
                    .append("':\nits files' difference between the two modules' src/ trees with the\n")
                    .append("package segment and class prefix normalised (vfiowb.step").append(a.number())
                    .append(" and vfiowb.").append(b.spelling().segment()).append(", Step").append(a.number())
                    .append(" and ").append(b.spelling().className()).append("\nwritten stepN, StepN; see docs/series.md).\n");
        } else {
            sb.append("Stage ").append(b.number()).append(" (").append(b.name()).append(") against stage ")
                    .append(a.number()).append(" (").append(a.name()).append("), unit '").append(unit.name())
                    .append("':\nits files' difference between the two modules' src/ trees with the stage\n")
                    .append("number normalised (vfiowb.stepK, vfiowb/stepK and the StepK class prefix\n")
                    .append("written stepN, StepN; see docs/series.md).\n");
        }
        List<String> also = matching.stream().filter(s -> !s.equals(subject)).toList();
        if (!also.isEmpty()) {
            sb.append("\nThe stage's other patches on this unit, folded in here:\n");
            for (String s : also) {
                sb.append("  ").append(s).append('\n');
            }
        }
        sb.append("\nGenerated by '").append(UPDATE_COMMAND).append("'; edit the stage modules,\n")
                .append("not this file.\n---\n");
        for (String p : paths) {
            sb.append(' ').append(p).append('\n');
        }
        sb.append('\n');
        return sb.toString();
    }

    /** Each file of {@code series/}, expected or present, with its state, by name. */
    public static List<Entry> check(Repo repo) {
        SortedMap<String, State> states = new TreeMap<>();
        SortedMap<String, String> present = present(repo);
        for (Patch p : expected(repo)) {
            String have = present.remove(p.fileName());
            states.put(p.fileName(), have == null ? State.MISSING
                    : have.equals(p.text()) ? State.UP_TO_DATE : State.STALE);
        }
        for (String extra : present.keySet()) {
            states.put(extra, State.EXTRA);
        }
        List<Entry> out = new ArrayList<>();
        states.forEach((f, s) -> out.add(new Entry(f, s)));
        return out;
    }

    /**
     * Rewrites {@code series/} to what the modules produce: writes stale and missing patches,
     * deletes patches no pair produces. Returns each file's state before the update.
     */
    public static List<Entry> update(Repo repo) {
        List<Entry> before = check(repo);
        Path dir = repo.seriesDir();
        try {
            Files.createDirectories(dir);
            for (Patch p : expected(repo)) {
                Path f = dir.resolve(p.fileName());
                Files.createDirectories(f.getParent());
                if (!Files.isRegularFile(f) || !SourceTree.read(f, f.toString()).equals(p.text())) {
                    Files.writeString(f, p.text(), StandardCharsets.UTF_8);
                }
            }
            for (Entry e : before) {
                if (e.state() == State.EXTRA) {
                    Path f = dir.resolve(e.fileName());
                    Files.delete(f);
                    for (Path d = f.getParent(); !d.equals(dir) && isEmptyDir(d); d = d.getParent()) {
                        Files.delete(d);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return before;
    }

    private static boolean isEmptyDir(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.findAny().isEmpty();
        }
    }

    /** Every {@code *.patch} file under {@code series/}, at any depth, by its path under it. */
    private static SortedMap<String, String> present(Repo repo) {
        SortedMap<String, String> out = new TreeMap<>();
        Path dir = repo.seriesDir();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".patch"))::iterator) {
                String rel = SourceTree.relative(dir, f);
                out.put(rel, SourceTree.read(f, "series/" + rel));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
