package vfiowb.workbench.series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import vfiowb.workbench.UserError;

/**
 * Carries a change made in one stage module to every later stage module with sources, the way a
 * kernel developer rebases a series onto a fixed base.
 *
 * <p>The change is stage K's {@code src/} tree at a git revision against its working tree
 * (tracked, added, deleted and untracked-but-not-ignored files), both normalised. For each later
 * stage T in order, each changed file is merged into T's normalised file and the result
 * denormalised to T:
 * <ul>
 *   <li>modified: a three-way merge ({@code git merge-file}: current = T's file, base = the old
 *       text, other = the new text); a file T does not have is reported as not carried (the
 *       series removed or renamed it) and goes no further;</li>
 *   <li>added: created in T; a conflict when T already has a different file there;</li>
 *   <li>deleted: removed from T; a conflict when T's file differs from the deleted text.</li>
 * </ul>
 * The stage after T merges the change T actually received (T's old and new text), not K's: this
 * is what rebasing each later patch in turn does. Every merge is computed in memory first; when
 * any conflicts, nothing is written.
 */
public final class ForwardPort {
    private ForwardPort() {}

    /** How a file of a stage changes. */
    public enum Kind {
        ADDED('A'), MODIFIED('M'), DELETED('D');

        private final char letter;

        Kind(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }
    }

    /** A file of {@code stage} changed by the forward-port; {@code path} as the stage spells it. */
    public record FileChange(String path, Kind kind, String text) {}

    /** A file of {@code stage} the change could not reach, and why (not a conflict). */
    public record Skipped(String path, String reason) {}

    /** What one later stage receives. */
    public record StageResult(StageModule stage, List<FileChange> changes, List<Skipped> skipped) {}

    /** A file whose change cannot be carried into {@code stage} without a person. */
    public record Conflict(StageModule stage, String path, String reason) {
        public String describe() {
            return stage.label() + ": " + stage.name() + "/" + path + ": " + reason;
        }
    }

    /** The whole forward-port, computed and not yet written. */
    public record Plan(StageModule from, int changedFiles, List<StageResult> stages,
            List<Conflict> conflicts) {
        public boolean clean() {
            return conflicts.isEmpty();
        }
    }

    /** A three-way merge of texts: the result, or empty on a conflict. */
    @FunctionalInterface
    public interface Merger {
        Optional<String> merge(String current, String base, String other);
    }

    /** One file's change in normalised form: null text means absent. */
    private record Change(String before, String after) {}

    /**
     * Plans carrying stage {@code from}'s change since {@code rev} to every later stage with
     * sources, and to every variant with sources that sits on stage {@code from} or later.
     * User errors: not a git work tree, no such stage or revision, nothing to carry to.
     */
    public static Plan plan(Repo repo, int from, String rev) {
        Git git = Git.require(repo.root());
        StageModule source = repo.stage(from);
        if (rev.startsWith("-") || rev.isBlank()) {
            throw new UserError("'" + rev + "' is not a git revision");
        }
        Git.Result r = git.run(null, "rev-parse", "--verify", "--quiet", rev + "^{commit}");
        if (r.code() != 0) {
            throw new UserError("no commit '" + rev + "' in " + repo.root());
        }
        String commit = r.text().trim();
        StageModule last = repo.stages().get(repo.stages().size() - 1);
        List<StageModule> variants = repo.variantsFromWithSources(from);
        if (last.number() == from && variants.isEmpty()) {
            throw new UserError(source.label() + " is the last stage; there is nothing to carry "
                    + "its change to");
        }
        List<StageModule> targets = repo.laterWithSources(from);
        if (targets.isEmpty() && variants.isEmpty()) {
            throw new UserError("no stage after " + from + " has sources yet; create the next "
                    + "with 'forward-port --new-stage " + (from + 1) + "'");
        }
        SourceTree before = SourceTree.atRevision(source, git, commit);
        SourceTree after = SourceTree.working(source);
        return plan(source, before, after, targets, variants, SourceTree::working, merger(git));
    }

    /**
     * Plans carrying the change {@code before} to {@code after} (stage {@code source}'s own,
     * not normalised) into {@code targets} in order, reading each target's tree with
     * {@code trees}.
     */
    public static Plan plan(StageModule source, SourceTree before, SourceTree after,
            List<StageModule> targets, Function<StageModule, SourceTree> trees, Merger merger) {
        return plan(source, before, after, targets, List.of(), trees, merger);
    }

    /**
     * As {@link #plan(StageModule, SourceTree, SourceTree, List, Function, Merger)}, then into
     * each of {@code variants}: a variant merges the change the stage it sits on received (the
     * change itself when it sits on {@code source}), as an RFC is rebased onto the new series.
     */
    public static Plan plan(StageModule source, SourceTree before, SourceTree after,
            List<StageModule> targets, List<StageModule> variants,
            Function<StageModule, SourceTree> trees, Merger merger) {
        SortedMap<String, Change> change = changes(before.normalise(source), after.normalise(source));
        int changedFiles = change.size();
        List<StageResult> results = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        Map<Integer, SortedMap<String, Change>> receivedBy = new java.util.HashMap<>();
        receivedBy.put(source.number(), change);
        StageModule previous = source;
        for (StageModule t : targets) {
            SortedMap<String, Change> received = carry(change, previous, t, trees, merger, results,
                    conflicts);
            receivedBy.put(t.number(), received);
            if (!change.isEmpty()) {
                change = received;
                previous = t;
            }
        }
        for (StageModule v : variants) {
            SortedMap<String, Change> base = receivedBy.get(v.number());
            if (base == null) {
                continue;
            }
            carry(base, targets.stream().filter(t -> t.number() == v.number()).findFirst()
                    .orElse(source), v, trees, merger, results, conflicts);
        }
        return new Plan(source, changedFiles, List.copyOf(results), List.copyOf(conflicts));
    }

    /**
     * Merges {@code change} (what {@code previous} received) into {@code t}: adds {@code t}'s
     * result and conflicts, and returns the change {@code t} received.
     */
    private static SortedMap<String, Change> carry(SortedMap<String, Change> change,
            StageModule previous, StageModule t, Function<StageModule, SourceTree> trees,
            Merger merger, List<StageResult> results, List<Conflict> conflicts) {
        SortedMap<String, Change> received = new TreeMap<>();
        if (change.isEmpty()) {
            results.add(new StageResult(t, List.of(), List.of()));
            return received;
        }
        SourceTree current = trees.apply(t).normalise(t);
        List<FileChange> changes = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Map.Entry<String, Change> e : change.entrySet()) {
            String path = e.getKey();
            String o = e.getValue().before();
            String n = e.getValue().after();
            String have = current.get(path);
            String targetPath = StageNormaliser.denormalise(path, t.spelling());
            String result;
            if (o != null && n != null) {
                if (have == null) {
                    skipped.add(new Skipped(targetPath, "not carried: modified in "
                            + previous.label() + " but " + t.label() + " has no such file "
                            + "(the series removed or renamed it)"));
                    continue;
                }
                if (have.equals(o)) {
                    result = n;
                } else if (have.equals(n)) {
                    result = have;
                } else {
                    Optional<String> merged = merger.merge(have, o, n);
                    if (merged.isEmpty()) {
                        conflicts.add(new Conflict(t, targetPath, "the change from "
                                + previous.label() + " does not merge (conflicting hunks)"));
                        continue;
                    }
                    result = merged.get();
                }
            } else if (o == null) {
                if (have != null && !have.equals(n)) {
                    conflicts.add(new Conflict(t, targetPath, "added in " + previous.label()
                            + " but " + t.label() + " already has a different file there"));
                    continue;
                }
                result = n;
            } else {
                if (have != null && !have.equals(o)) {
                    conflicts.add(new Conflict(t, targetPath, "deleted in " + previous.label()
                            + " but " + t.label() + "'s file differs from the deleted one"));
                    continue;
                }
                result = null;
            }
            if (have == null ? result == null : have.equals(result)) {
                continue;
            }
            received.put(path, new Change(have, result));
            changes.add(new FileChange(targetPath, have == null ? Kind.ADDED
                    : result == null ? Kind.DELETED : Kind.MODIFIED,
                    result == null ? null : StageNormaliser.denormalise(result, t.spelling())));
        }
        results.add(new StageResult(t, List.copyOf(changes), List.copyOf(skipped)));
        return received;
    }

    private static SortedMap<String, Change> changes(SourceTree before, SourceTree after) {
        SortedMap<String, Change> out = new TreeMap<>();
        for (Map.Entry<String, String> e : before.files().entrySet()) {
            String now = after.get(e.getKey());
            if (!e.getValue().equals(now)) {
                out.put(e.getKey(), new Change(e.getValue(), now));
            }
        }
        for (Map.Entry<String, String> e : after.files().entrySet()) {
            if (before.get(e.getKey()) == null) {
                out.put(e.getKey(), new Change(null, e.getValue()));
            }
        }
        return out;
    }

    /** Writes a clean plan: creates, rewrites and deletes the files it names. */
    public static void apply(Plan plan) {
        if (!plan.clean()) {
            throw new IllegalStateException("a plan with conflicts is never written");
        }
        for (StageResult r : plan.stages()) {
            for (FileChange c : r.changes()) {
                Path f = r.stage().dir().resolve(c.path());
                if (c.kind() == Kind.DELETED) {
                    delete(f, r.stage().src());
                } else {
                    write(f, c.text());
                }
            }
        }
    }

    /** {@code git merge-file -p} on temporary copies of the three texts. */
    static Merger merger(Git git) {
        return (current, base, other) -> {
            Path tmp = null;
            try {
                tmp = Files.createTempDirectory("vfiowb-merge");
                Path c = Files.writeString(tmp.resolve("current"), current, StandardCharsets.UTF_8);
                Path b = Files.writeString(tmp.resolve("base"), base, StandardCharsets.UTF_8);
                Path o = Files.writeString(tmp.resolve("other"), other, StandardCharsets.UTF_8);
                Git.Result r = git.run(null, "merge-file", "-p", "-L", "later stage", "-L", "base",
                        "-L", "change", c.toString(), b.toString(), o.toString());
                if (r.code() == 0) {
                    return Optional.of(SourceTree.decode(r.out(), "merge result"));
                }
                if (r.code() > 0 && r.code() < 128) {
                    return Optional.empty();
                }
                throw new IllegalStateException("git merge-file failed (" + r.code() + "): " + r.err());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteTree(tmp);
            }
        };
    }

    /** What {@link #newStage} created. */
    public record NewStage(StageModule from, StageModule stage, List<String> files) {}

    /**
     * Creates stage {@code n}'s sources as a copy of stage {@code n - 1}'s, denormalised to
     * {@code n}. The module (directory and pom) must exist and hold no sources yet.
     */
    public static NewStage newStage(Repo repo, int n) {
        StageModule stage = repo.stage(n);
        if (!repo.hasStage(n - 1)) {
            throw new UserError(stage.label() + " has no previous stage module to copy");
        }
        StageModule prev = repo.stage(n - 1);
        if (stage.hasSources()) {
            throw new UserError(stage.label() + " already has sources; carry changes into it "
                    + "with 'forward-port --from K'");
        }
        if (!prev.hasSources()) {
            throw new UserError(prev.label() + " has no sources to copy; create it first");
        }
        SourceTree copy = SourceTree.working(prev).normalise(prev.number()).denormalise(n);
        for (Map.Entry<String, String> e : copy.files().entrySet()) {
            write(stage.dir().resolve(e.getKey()), e.getValue());
        }
        return new NewStage(prev, stage, List.copyOf(copy.files().keySet()));
    }

    /**
     * Creates variant {@code name}'s sources as a copy of the stage it sits on, spelled as the
     * variant ({@code vfiowb.wccookie}, {@code WcCookie}). The module (directory and pom, with
     * {@value Repo#VARIANT_PROPERTY}) must exist and hold no sources yet.
     */
    public static NewStage newVariant(Repo repo, String name) {
        StageModule variant = repo.variant(name);
        StageModule base = repo.stage(variant.number());
        if (variant.hasSources()) {
            throw new UserError(variant.label() + " already has sources; carry changes into it "
                    + "with 'forward-port --from K'");
        }
        if (!base.hasSources()) {
            throw new UserError(base.label() + " has no sources to copy; write it first");
        }
        SourceTree copy = SourceTree.working(base).normalise(base).denormalise(variant.spelling());
        for (Map.Entry<String, String> e : copy.files().entrySet()) {
            write(variant.dir().resolve(e.getKey()), e.getValue());
        }
        return new NewStage(base, variant, List.copyOf(copy.files().keySet()));
    }

    private static void write(Path f, String text) {
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code f} and the directories it leaves empty, up to {@code src} (kept). */
    private static void delete(Path f, Path src) {
        try {
            Files.deleteIfExists(f);
            for (Path d = f.getParent(); d != null && d.startsWith(src) && !d.equals(src);
                    d = d.getParent()) {
                try (Stream<Path> s = Files.list(d)) {
                    if (s.findAny().isPresent()) {
                        break;
                    }
                }
                Files.delete(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
