package vfiowb.common.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds a fixture's source line by its {@code // @marker} comment, so tests name no numbers. */
final class FixtureSource {
    private FixtureSource() {}

    static int line(Class<?> c, String marker) {
        Path src = Path.of("src/test/java", c.getName().replace('.', '/') + ".java");
        try {
            List<String> lines = Files.readAllLines(src);
            int found = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).endsWith("// @" + marker)) {
                    if (found > 0) {
                        throw new IllegalStateException("marker @" + marker + " twice in " + src);
                    }
                    found = i + 1;
                }
            }
            if (found < 0) {
                throw new IllegalStateException("no marker @" + marker + " in " + src);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
