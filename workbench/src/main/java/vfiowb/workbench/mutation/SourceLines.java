package vfiowb.workbench.mutation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import vfiowb.workbench.UserError;
import vfiowb.workbench.io.Printable;

/**
 * The text of mutated lines, read from the repository's sources: a mutant's file is
 * {@code <package path>/<sourceFile>} under one of the {@code *}{@code /src/main/java}
 * directories of the root (each module's), since that is all PIT records of where the class
 * came from. Each file is read once; a file that cannot be found or read has no lines, and a
 * mutant in it no text (which no equivalent entry then matches).
 */
public final class SourceLines {
    private final Path root;
    private List<Path> mains;
    private final Map<String, Optional<List<String>>> files = new HashMap<>();

    public SourceLines(Path root) {
        this.root = root;
    }

    /** The mutated line's text, or null when its source file or the line is not there. */
    public String line(Mutant m) {
        Optional<List<String>> lines = files.computeIfAbsent(relative(m), this::load);
        if (lines.isEmpty() || m.line() < 1 || m.line() > lines.get().size()) {
            return null;
        }
        return lines.get().get(m.line() - 1);
    }

    /** {@code vfiowb/step5/core/Foo.java}: where the mutant's source sits under a source root. */
    public static String relative(Mutant m) {
        String pkg = m.pkg();
        return pkg.isEmpty() ? m.sourceFile() : pkg.replace('.', '/') + "/" + m.sourceFile();
    }

    /** The directory searched. */
    public Path root() {
        return root;
    }

    private Optional<List<String>> load(String relative) {
        for (Path main : mains()) {
            Path p = main.resolve(relative);
            if (Files.isRegularFile(p)) {
                try {
                    return Optional.of(Files.readAllLines(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private List<Path> mains() {
        if (mains == null) {
            if (!Files.isDirectory(root)) {
                mains = List.of();
            } else {
                try (Stream<Path> s = Files.list(root)) {
                    mains = s.map(d -> d.resolve("src/main/java")).filter(Files::isDirectory)
                            .sorted().toList();
                } catch (IOException e) {
                    throw new UserError(Printable.of(root.toString()) + ": cannot list: "
                            + Printable.of(e.getMessage()));
                }
            }
        }
        return mains;
    }
}
