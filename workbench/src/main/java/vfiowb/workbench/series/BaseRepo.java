package vfiowb.workbench.series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import vfiowb.workbench.UserError;

/**
 * A git repository holding one normalised stage tree at its root ({@code src/main/java/vfiowb/
 * stepN/...}), committed, where {@code git am} applies the generated mbox: the repository a
 * reviewer applies the series to, and the one the tests apply it in. Commits are made with a
 * fixed identity and date, so the same tree gives the same commit.
 */
public final class BaseRepo {
    private static final String IDENTITY = "vfio-workbench";
    private static final String EMAIL = "vfio-workbench@example.invalid";
    private static final String DATE = "@0 +0000";

    private final Path dir;

    private BaseRepo(Path dir) {
        this.dir = dir;
    }

    /** Whether the {@code git} executable runs here. */
    public static boolean gitAvailable() {
        try {
            return Git.unchecked(Path.of(".").toAbsolutePath()).run(null, "--version").code() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * A new repository at {@code dir} (absent or empty) holding {@code tree}, committed with
     * {@code message}.
     */
    public static BaseRepo create(Path dir, SourceTree tree, String message) {
        try {
            if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
                throw new UserError(dir + " exists and is not an empty directory");
            }
            Files.createDirectories(dir);
            BaseRepo r = new BaseRepo(dir);
            r.git("init", "-q");
            for (var e : tree.files().entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            }
            r.git("add", "-A");
            r.git("commit", "-q", "--allow-empty", "-m", message);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository {@link #create} made at {@code dir} earlier. */
    public static BaseRepo open(Path dir) {
        if (!Files.isDirectory(dir.resolve(".git"))) {
            throw new UserError(dir + " is not a git repository");
        }
        return new BaseRepo(dir);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    public Path dir() {
        return dir;
    }

    /**
     * {@code git am --empty=drop MBOX}: the patches of the mbox as commits, the cover letter
     * dropped. Returns git's error output when it refuses, empty when every mail applied.
     */
    public Optional<String> am(Path mbox) {
        Git.Result r = run("am", "--empty=drop", "--whitespace=nowarn", mbox.toAbsolutePath().toString());
        if (r.code() != 0) {
            run("am", "--abort");
            return Optional.of(r.err().isEmpty() ? new String(r.out(), StandardCharsets.UTF_8) : r.err());
        }
        return Optional.empty();
    }

    /** The subjects of the commits after the first, oldest first. */
    public List<String> subjectsAfterBase() {
        String out = new String(git("log", "--reverse", "--format=%s", "HEAD"), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(out.split("\n")));
        lines.remove(0);
        return lines;
    }

    /** The commit ids after the first, oldest first. */
    public List<String> commitsAfterBase() {
        String out = new String(git("rev-list", "--reverse", "HEAD"), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(out.split("\n")));
        lines.remove(0);
        return lines;
    }

    /** The full message of commit {@code rev}. */
    public String message(String rev) {
        return new String(git("log", "-1", "--format=%B", rev), StandardCharsets.UTF_8);
    }

    /** The tree of commit {@code rev}, every file as text (the work tree is checked out there). */
    public SourceTree tree(String rev) {
        git("checkout", "-q", "--detach", rev);
        SortedMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)
                    .filter(f -> !dir.relativize(f).startsWith(".git"))::iterator) {
                out.put(SourceTree.relative(dir, f), SourceTree.read(f, f.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SourceTree(out);
    }

    private Git.Result run(String... args) {
        List<String> a = new ArrayList<>(List.of("-c", "user.name=" + IDENTITY, "-c", "user.email=" + EMAIL,
                "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"));
        a.addAll(List.of(args));
        return Git.unchecked(dir).withEnv("GIT_AUTHOR_DATE", DATE).withEnv("GIT_COMMITTER_DATE", DATE)
                .run(null, a.toArray(new String[0]));
    }

    private byte[] git(String... args) {
        Git.Result r = run(args);
        if (r.code() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir + " failed ("
                    + r.code() + "): " + r.err());
        }
        return r.out();
    }
}
