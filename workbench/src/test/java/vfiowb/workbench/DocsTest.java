package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README and docs/ lead only to files the repository ships. */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    private static Path root() {
        return RunCommandTest.scenarios().toAbsolutePath().normalize().getParent();
    }

    private static List<Path> pages() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(root().resolve("README.md"));
        try (Stream<Path> s = Files.list(root().resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyRelativeLinkNamesAFileInTheRepository() throws IOException {
        int links = 0;
        for (Path page : pages()) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                Path p = page.getParent().resolve(target).normalize();
                assertTrue(p.startsWith(root()), page.getFileName() + " leaves the repository: " + target);
                assertTrue(Files.exists(p), page.getFileName() + " links to a missing " + target);
                links++;
            }
        }
        assertTrue(links >= 5, "the pages link to each other: " + links);
    }

    @Test
    void nothingSendsReadersOutsideTheRepository() throws IOException {
        for (Path page : pages()) {
            String text = Files.readString(page);
            assertFalse(text.contains("../shared"), page + " points outside the repository");
        }
        String readme = Files.readString(root().resolve("README.md"));
        assertTrue(readme.contains("[docs/architecture.md](docs/architecture.md)"), "README points "
                + "to the architecture");
    }

    @Test
    void theArchitectureNamesEveryModuleOfTheRootPom() throws IOException {
        String arch = Files.readString(root().resolve("docs/architecture.md"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(
                Files.readString(root().resolve("pom.xml")));
        int n = 0;
        while (m.find()) {
            assertTrue(arch.contains(m.group(1) + "/"), "docs/architecture.md lacks " + m.group(1));
            n++;
        }
        assertEquals(12, n, "common, five stages, three variants, workbench, benchmarks and the jcstress profile's");
    }
}
