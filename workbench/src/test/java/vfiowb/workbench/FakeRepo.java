package vfiowb.workbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A tiny workbench-shaped git repository: a root pom listing fake stage modules. */
final class FakeRepo {
    final Path root;

    FakeRepo(Path root, String... modules) {
        this.root = root;
        StringBuilder pom = new StringBuilder("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modules>\n    <module>common</module>\n");
        for (String m : modules) {
            pom.append("    <module>").append(m).append("</module>\n");
            write(m + "/pom.xml", "<project/>\n");
        }
        pom.append("    <module>workbench</module>\n  </modules>\n</project>\n");
        write("pom.xml", pom.toString());
    }

    /** Initialises git and commits everything. */
    FakeRepo gitInit() {
        git("init", "-q", "-b", "main");
        write(".gitignore", "target/\n*.orig\n");
        commit("initial");
        return this;
    }

    void commit(String message) {
        git("add", "-A");
        git("-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-q",
                "--allow-empty", "-m", message);
    }

    String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
            pb.environment().remove("GIT_DIR");
            pb.environment().remove("GIT_WORK_TREE");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("git " + args[0] + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void write(String rel, String text) {
        try {
            Path f = root.resolve(rel);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String rel) {
        try {
            return Files.readString(root.resolve(rel), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean exists(String rel) {
        return Files.exists(root.resolve(rel));
    }

    void delete(String rel) {
        try {
            Files.delete(root.resolve(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the root but .git, with contents, for "nothing was written" checks. */
    String snapshot() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).filter(p -> !root.relativize(p).startsWith(".git"))
                    .sorted().forEach(p -> sb.append(root.relativize(p)).append('\n')
                            .append(read(root.relativize(p).toString())).append('\0'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    Cli.Result run(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--repo");
        a.add(root.toString());
        return Cli.run(a.toArray(new String[0]));
    }

    /** A Java file of stage {@code k} in package {@code vfiowb.stepK.sub} with {@code body} lines. */
    static String javaFile(int k, String sub, String className, String... body) {
        StringBuilder sb = new StringBuilder("package vfiowb.step" + k + (sub.isEmpty() ? "" : "." + sub)
                + ";\n\nimport vfiowb.step" + k + ".Step" + k + ";\n\n/** Model of " + className
                + " in step" + k + "-fake. */\npublic final class " + className + " {\n");
        for (String b : body) {
            sb.append("    ").append(b).append('\n');
        }
        return sb.append("}\n").toString();
    }
}
