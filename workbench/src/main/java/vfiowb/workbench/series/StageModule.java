package vfiowb.workbench.series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A stage module of the reactor: {@code stepK-title} at the repository root, holding stage
 * {@code number}'s whole tree under {@code src/}; or a variant module ({@code wc-cookie}), a
 * design built on stage {@code number} (its pom's {@code vfiowb.variant.of} property), whose
 * patch is its difference from that stage.
 *
 * @param variant null for a stage of the series, the variant's name (its module's) otherwise
 */
public record StageModule(int number, String name, Path dir, String variant) {
    public StageModule {
        if (number < 1) {
            throw new IllegalArgumentException("stage number " + number);
        }
        if (variant != null) {
            StageNormaliser.Spelling.variant(variant);
        }
    }

    /** A stage of the series. */
    public StageModule(int number, String name, Path dir) {
        this(number, name, dir, null);
    }

    /** Whether this is a variant rather than a stage of the series. */
    public boolean isVariant() {
        return variant != null;
    }

    /** How its sources spell the package segment and class-name prefix. */
    public StageNormaliser.Spelling spelling() {
        return variant == null ? StageNormaliser.Spelling.stage(number)
                : StageNormaliser.Spelling.variant(variant);
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

    /** "stage 2 (step2-driver-conversions)", "variant wc-cookie (on stage 5)". */
    public String label() {
        return variant == null ? "stage " + number + " (" + name + ")"
                : "variant " + variant + " (on stage " + number + ")";
    }
}
