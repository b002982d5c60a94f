package vfiowb.workbench.mbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import vfiowb.workbench.Options;
import vfiowb.workbench.UserError;
import vfiowb.workbench.series.BaseRepo;
import vfiowb.workbench.series.Repo;
import vfiowb.workbench.series.Series;

/**
 * {@code series --out DIR}: the mbox of the stages from K to M, written as
 * {@code DIR/stepK-to-stepM.mbox}, made from {@code series/} (refused while it is out of date
 * for those stages), with an optional base repository for {@code git am}.
 */
public final class SeriesMbox {
    /** The From of every mail unless {@code --author} says otherwise. */
    public static final String DEFAULT_AUTHOR = "vfio-workbench <vfio-workbench@example.invalid>";

    private static final Pattern AUTHOR = Pattern.compile("[^<>\\r\\n]+ <[^<>\\s@]+@[^<>\\s@]+>");

    /** What was written. */
    public record Written(Path mbox, int mails, int from, int to, Path base) {}

    private SeriesMbox() {}

    /** The pairs of adjacent stages from {@code from} to {@code to} (null: the ends of the series). */
    public static List<Series.Pair> select(Repo repo, Integer from, Integer to) {
        List<Series.Pair> all = Series.pairs(repo);
        if (all.isEmpty()) {
            throw new UserError("no pair of adjacent stages has sources; there is no series to write");
        }
        int k = from == null ? all.get(0).from().number() : from;
        int m = to == null ? all.get(all.size() - 1).to().number() : to;
        String have = all.stream().map(p -> p.from().number() + "->" + p.to().number())
                .collect(Collectors.joining(", "));
        if (k >= m) {
            throw new UserError("--from " + k + " must be before --to " + m);
        }
        List<Series.Pair> out = new ArrayList<>();
        int at = k;
        for (Series.Pair p : all) {
            if (p.from().number() == at && at < m) {
                out.add(p);
                at = p.to().number();
            }
        }
        if (out.isEmpty() || at != m) {
            throw new UserError("no run of stage pairs goes from stage " + k + " to stage " + m
                    + " (the pairs with sources: " + have + ")");
        }
        return out;
    }

    /** Writes the mbox (and the base repository when {@code base} is not null). */
    public static Written write(Repo repo, Path dir, Integer from, Integer to, int version, String author,
            Long date, Path base) {
        return write(repo, dir, from, to, version, author, date, base, new Evidence(repo.root()));
    }

    /** {@link #write}, the numbers taken from {@code evidence}. */
    public static Written write(Repo repo, Path dir, Integer from, Integer to, int version, String author,
            Long date, Path base, Evidence evidence) {
        if (version < 1) {
            throw new UserError("--reroll-count takes a version from 1, not " + version);
        }
        String who = author == null ? DEFAULT_AUTHOR : author.strip();
        if (!AUTHOR.matcher(who).matches()) {
            throw new UserError("--author takes 'NAME <EMAIL>', not '" + who + "'");
        }
        List<Series.Pair> pairs = select(repo, from, to);
        requireUpToDate(repo, pairs);
        Instant when = Instant.ofEpochSecond(date != null ? date : defaultDate(repo));
        Mbox.Options o = new Mbox.Options(version, who, when, signature());
        Mbox.Result r = Mbox.build(pairs, Options.stages(), o, evidence);
        int k = pairs.get(0).from().number();
        int m = pairs.get(pairs.size() - 1).to().number();
        Path file = dir.resolve(Mbox.fileName(k, m));
        try {
            Files.createDirectories(dir);
            Files.writeString(file, r.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
        Path b = null;
        if (base != null) {
            if (!BaseRepo.gitAvailable()) {
                throw new UserError("--base needs git, which does not run here");
            }
            b = BaseRepo.create(base, pairs.get(0).fromTree(), "Stage " + k + " (" + pairs.get(0).from().name()
                    + "), normalised\n\nThe tree 'vfio-workbench series --out' patches apply to.").dir();
        }
        return new Written(file, r.mails().size(), k, m, b);
    }

    /** Refuses while a patch of the chosen stages in {@code series/} differs from the modules. */
    static void requireUpToDate(Repo repo, List<Series.Pair> pairs) {
        List<String> dirs = pairs.stream().map(p -> Series.dirName(p.from(), p.to()) + "/").toList();
        List<String> stale = Series.check(repo).stream()
                .filter(e -> e.state() != Series.State.UP_TO_DATE)
                .filter(e -> dirs.stream().anyMatch(d -> e.fileName().startsWith(d)))
                .map(e -> "series/" + e.fileName()).toList();
        if (!stale.isEmpty()) {
            throw new UserError("series/ is out of date for these stages (" + String.join(", ", stale)
                    + "); run '" + Series.UPDATE_COMMAND + "' first");
        }
    }

    /** SOURCE_DATE_EPOCH when set, else the commit time of HEAD, else 0. */
    static long defaultDate(Repo repo) {
        String env = System.getenv("SOURCE_DATE_EPOCH");
        if (env != null && env.strip().matches("[0-9]{1,18}")) {
            return Long.parseLong(env.strip());
        }
        return repo.headCommitTime().orElse(0L);
    }

    /** {@code vfio-workbench VERSION}, the signature under every mail. */
    static String signature() {
        String v = SeriesMbox.class.getPackage().getImplementationVersion();
        return "vfio-workbench " + (v == null ? "0.1.0-SNAPSHOT" : v);
    }

    /** The mbox text as a file holds it. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
