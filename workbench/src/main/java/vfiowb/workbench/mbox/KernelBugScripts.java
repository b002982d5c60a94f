package vfiowb.workbench.mbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reproducers of the upstream kernel bugs the model knows ({@code scenarios/kernel-bugs/},
 * docs/kernel-bugs.md): a stage still has a bug when its reproducer's transcript there reaches
 * it.
 */
final class KernelBugScripts {
    /** The directory, relative to the repository root. */
    static final String DIR = "scenarios/kernel-bugs";

    private KernelBugScripts() {}

    /** Every reproducer, as a path relative to {@code root}, sorted. */
    static List<String> list(Path root) {
        Path dir = root.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".vfio")).sorted()
                    .map(n -> DIR + "/" + n).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
