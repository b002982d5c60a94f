package vfiowb.workbench.series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Applies a patch with the real {@code git apply} to a tree written into a fresh repository. */
final class GitApply {
    private GitApply() {}

    static SourceTree apply(Path dir, SourceTree from, String patch) {
        try {
            Files.createDirectories(dir);
            Git.Result init = new GitRunner(dir).run("init", "-q");
            if (init.code() != 0) {
                throw new IllegalStateException(init.err());
            }
            for (var e : from.files().entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            }
            Path p = Files.writeString(dir.resolve(".git/series.patch"), patch, StandardCharsets.UTF_8);
            Git.Result r = new GitRunner(dir).run("apply", "--whitespace=nowarn", p.toString());
            if (r.code() != 0) {
                throw new AssertionError("git apply refused the patch: " + r.err() + "\n" + patch);
            }
            SortedMap<String, String> out = new TreeMap<>();
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).filter(f -> !dir.relativize(f).startsWith(".git"))
                        .forEach(f -> out.put(SourceTree.relative(dir, f), SourceTree.read(f, f.toString())));
            }
            return new SourceTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Git in a directory that may not be a work tree yet. */
    private record GitRunner(Path dir) {
        Git.Result run(String... args) {
            return Git.unchecked(dir).run(null, args);
        }
    }
}
