package vfiowb.workbench.series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A stage module of the reactor: {@code stepK-title} at the repository root, holding stage
 * {@code number}'s whole tree under {@code src/}.
 */
public record StageModule(int number, String name, Path dir) {
    public StageModule {
        if (number < 1) {
            throw new IllegalArgumentException("stage number " + number);
        }
    }

    /** {@code src/} of the module. */
    public Path src() {
        return dir.resolve("src");
    }

    /** Whether any regular file exists under {@code src/} (stages 3 to 5 start as a pom only). */
    public boolean hasSources() {
        if (!Files.isDirectory(src())) {
            return false;
        }
        try (Stream<Path> s = Files.walk(src())) {
            return s.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "stage 2 (step2-driver-conversions)". */
    public String label() {
        return "stage " + number + " (" + name + ")";
    }
}
