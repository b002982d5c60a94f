package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.wc.WcCompare;

/** {@code wc --compare}, the WC scenario scripts on every variant, and {@code --stage NAME}. */
class WcCommandTest {
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Compare {
        List<WcCompare.Row> rows;

        @BeforeAll
        void compute() {
            rows = WcCompare.compute(Path.of("..").toAbsolutePath().normalize());
        }

        WcCompare.Row row(String v) {
            return rows.stream().filter(r -> r.variant().equals(v)).findFirst().orElseThrow();
        }

        @Test
        void oneRowPerVariant() {
            assertEquals(List.of("wc-alias", "wc-cookie", "wc-dmabuf"),
                    rows.stream().map(WcCompare.Row::variant).toList());
        }

        @Test
        void theSurfaceIsCountedFromTheDefinitions() {
            assertEquals(1, row("wc-cookie").surface().ioctls());
            assertEquals(0, row("wc-alias").surface().ioctls());
            assertEquals(1, row("wc-alias").surface().capabilities());
            assertEquals(1, row("wc-dmabuf").surface().features());
            assertEquals(2, row("wc-dmabuf").surface().values());
            assertTrue(row("wc-alias").surface().headerLines() > row("wc-dmabuf").surface().headerLines());
        }

        @Test
        void stepsFromOpenToTheFirstStore() {
            assertEquals(List.of("open", "ioctl VFIO_DEVICE_GET_REGION_MMAP", "mmap", "store"),
                    row("wc-cookie").steps().calls());
            assertEquals(5, row("wc-alias").steps().count());
            assertEquals(List.of("open", "ioctl VFIO_DEVICE_FEATURE", "ioctl VFIO_DEVICE_FEATURE", "mmap",
                    "store"), row("wc-dmabuf").steps().calls());
        }

        @Test
        void oldClientsRevocationReachIsolation() {
            for (WcCompare.Row r : rows) {
                assertTrue(r.revocation().complete(), r.variant());
                assertTrue(r.oldClients().qemuStillWorks() && r.oldClients().qatlibStillWorks(), r.variant());
            }
            assertTrue(row("wc-cookie").oldClients().qemuUntouched());
            assertFalse(row("wc-alias").oldClients().qatlibUntouched(), "num_regions grew");
            assertEquals("EOVERFLOW", row("wc-cookie").reach32().legacy());
            assertEquals("maps", row("wc-cookie").reach32().packed());
            assertEquals("maps", row("wc-dmabuf").reach32().legacy());
            assertTrue(row("wc-cookie").isolation().startsWith("per file: ") && row("wc-cookie").isolation()
                    .endsWith("ENXIO"), row("wc-cookie").isolation());
            assertTrue(row("wc-alias").isolation().startsWith("shared"), row("wc-alias").isolation());
            assertTrue(row("wc-dmabuf").isolation().endsWith("EBADF"), row("wc-dmabuf").isolation());
        }

        @Test
        void pgprotPerArchAndTheDebuggersView() {
            for (WcCompare.Row r : rows) {
                assertEquals("pgprot_writecombine", r.pgprot().get("x86_64").vma());
                assertTrue(r.pgprot().get("x86_64").pte().startsWith("UC- (PAT"), r.pgprot().toString());
                assertEquals("Normal-NC", r.pgprot().get("arm64").pte());
            }
            assertTrue(row("wc-alias").debug().regionInfo().contains("ALIAS"), row("wc-alias").debug().toString());
            assertTrue(row("wc-dmabuf").debug().maps().startsWith("dmabuf:"));
            assertEquals(-1, row("wc-dmabuf").pgoff().fileOffset());
        }

        @Test
        void linesComeFromSeries() {
            for (WcCompare.Row r : rows) {
                assertTrue(r.lines().patches() > 0 && r.lines().mainAdded() > 0, r.variant() + " " + r.lines());
            }
        }
    }

    @Nested
    class Command {
        @Test
        void jsonTextAndMarkdown() {
            Cli.Result j = Cli.run("wc", "--compare", "--format", "json");
            assertEquals(0, j.code(), j.err());
            List<?> v = (List<?>) j.json().get("variants");
            assertEquals(3, v.size());
            Cli.Result t = Cli.run("wc", "--compare");
            assertEquals(0, t.code(), t.err());
            assertTrue(t.out().contains("open to first WC store"), t.out());
            Cli.Result m = Cli.run("wc", "--compare", "--format", "markdown");
            assertTrue(m.out().contains("| | `wc-alias` | `wc-cookie` | `wc-dmabuf` |"), m.out());
        }

        @Test
        void withoutCompareIsAUsageError() {
            Cli.Result r = Cli.run("wc");
            assertEquals(2, r.code());
        }

        @Test
        void stagesListsTheVariantsAndStageTakesTheirNames() {
            Cli.Result s = Cli.run("stages", "--no-rules", "--format", "json");
            List<?> variants = (List<?>) s.json().get("variants");
            assertEquals(3, variants.size());
            Cli.Result bad = Cli.run("walk", "--stage", "wc-nope");
            assertEquals(2, bad.code());
            assertTrue(bad.err().contains("or a variant (wc-alias, wc-cookie, wc-dmabuf)"), bad.err());
            Cli.Result w = Cli.run("walk", "--stage", "wc-alias", "--device", "ena-llq", "--format", "json");
            assertEquals(0, w.code(), w.err());
            assertEquals("wc-alias", w.json().get("variant"));
            assertEquals(5L, ((Map<?, ?>) w.json().get("previous")).get("stage"));
        }
    }

    static Stream<Arguments> scriptsOnVariants() throws IOException {
        List<Arguments> out = new ArrayList<>();
        Path dir = RunCommandTest.scenarios().resolve("wc");
        List<Path> scripts;
        try (Stream<Path> s = Files.list(dir)) {
            scripts = s.filter(p -> p.toString().endsWith(".vfio")).sorted().toList();
        }
        for (Path p : scripts) {
            String arch = Files.readAllLines(p).stream().filter(l -> l.startsWith("require arch "))
                    .map(l -> l.substring("require arch ".length()).trim()).findFirst().orElse("x86_64");
            for (Stage v : WcCompare.variants()) {
                out.add(Arguments.of(p.getFileName().toString(), v.variant(), arch));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1} ({2})")
    @MethodSource("scriptsOnVariants")
    void everyWcScriptPassesOnEveryVariant(String script, String variant, String arch) {
        Path p = RunCommandTest.scenarios().resolve("wc").resolve(script);
        Cli.Result r = Cli.run("run", "--stage", variant, "--arch", arch, p.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        for (Map<String, Object> l : r.jsonLines()) {
            assertEquals(Boolean.TRUE, l.get("pass"), l.toString());
            assertEquals(variant, l.get("variant"));
        }
    }

    @Test
    void wcMapIsUnrunnableOnAStageOfTheSeries() throws IOException {
        Path p = RunCommandTest.scenarios().resolve("wc").resolve("dpdk-ena-llq.vfio");
        Cli.Result r = Cli.run("run", "--stage", "5", p.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot be carried out: wc_map needs a write-combining variant"), r.err());
    }
}
