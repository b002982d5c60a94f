package vfiowb.workbench.series;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import vfiowb.workbench.UserError;

/** The {@code git} executable, run in one directory; output read fully, never through a shell. */
final class Git {
    /** What one run returned. */
    record Result(int code, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private final Path dir;
    private final java.util.Map<String, String> env;

    private Git(Path dir) {
        this(dir, java.util.Map.of());
    }

    private Git(Path dir, java.util.Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    /** This git with {@code name=value} in its environment. */
    Git withEnv(String name, String value) {
        java.util.Map<String, String> e = new java.util.HashMap<>(env);
        e.put(name, value);
        return new Git(dir, java.util.Map.copyOf(e));
    }

    /** Git in {@code dir}, or empty when git is missing or {@code dir} is not in a work tree. */
    static java.util.Optional<Git> in(Path dir) {
        Git g = new Git(dir);
        try {
            Result r = g.run(null, "rev-parse", "--is-inside-work-tree");
            return r.code() == 0 && r.text().trim().equals("true") ? java.util.Optional.of(g)
                    : java.util.Optional.empty();
        } catch (UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Git in {@code dir}, which must be in a work tree. */
    static Git require(Path dir) {
        return in(dir).orElseThrow(() -> new UserError(dir + " is not in a git work tree "
                + "(or git is not installed)"));
    }

    /** Git in {@code dir}, whether or not it is in a work tree (for {@code init}, {@code merge-file}). */
    static Git unchecked(Path dir) {
        return new Git(dir);
    }

    /** Git in another directory of the same work tree. */
    Git at(Path other) {
        return new Git(other);
    }

    Path dir() {
        return dir;
    }

    /** Runs git with {@code args}, feeding {@code stdin} when not null. */
    Result run(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.add("-c");
        cmd.add("core.quotepath=off");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("GIT_DIR");
        pb.environment().remove("GIT_WORK_TREE");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            int code = p.waitFor();
            return new Result(code, out.join(), new String(err.join(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run git: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running git", e);
        }
    }

    /** Runs git and returns its output; a non-zero exit is a broken assumption of the caller. */
    byte[] ok(byte[] stdin, String... args) {
        Result r = run(stdin, args);
        if (r.code() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir
                    + " failed (" + r.code() + "): " + r.err());
        }
        return r.out();
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
