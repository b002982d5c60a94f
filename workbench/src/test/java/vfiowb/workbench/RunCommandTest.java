package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** run: the shipped scenarios, the language, and every way a script can be wrong. */
class RunCommandTest {
    /** The repository's scenarios/ directory (tests run in workbench/). */
    static Path scenarios() {
        Path p = Path.of("..", "scenarios");
        return Files.isDirectory(p) ? p : Path.of("scenarios");
    }

    @TempDir
    Path tmp;

    private Path script(String text) throws IOException {
        Path p = tmp.resolve("t.vfio");
        Files.writeString(p, text);
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Nested
    class ShippedScenarios {
        static Stream<Arguments> scripts() throws IOException {
            try (Stream<Path> s = Files.list(scenarios())) {
                return s.filter(p -> p.toString().endsWith(".vfio")).sorted()
                        .map(p -> Arguments.of(p.getFileName().toString(), options(p)))
                        .toList().stream();
            }
        }

        /**
         * The options of the first command the script's header shows ({@code #   vfio-workbench
         * run [OPTIONS] scenarios/NAME.vfio}), so each script runs as it documents itself.
         */
        static String options(Path script) {
            try {
                for (String l : Files.readAllLines(script)) {
                    String t = l.replaceFirst("^#\\s*", "");
                    if (l.startsWith("#") && t.startsWith("vfio-workbench run ")) {
                        String[] w = t.substring("vfio-workbench run ".length()).trim().split("\\s+");
                        return String.join(" ", java.util.Arrays.copyOf(w, w.length - 1));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return "";
        }

        @ParameterizedTest(name = "{0} with [{1}]")
        @MethodSource("scripts")
        void passWithEveryStatementInTheTranscript(String name, String options) throws IOException {
            Path p = scenarios().resolve(name);
            List<String> argv = new java.util.ArrayList<>(List.of("run"));
            if (!options.isEmpty()) {
                argv.addAll(List.of(options.split(" ")));
            }
            argv.add(p.toString());
            Cli.Result r = Cli.run(argv.toArray(new String[0]));
            assertEquals(0, r.code(), r.err() + r.out());
            assertEquals("", r.err());
            List<Map<String, Object>> lines = r.jsonLines();
            long statements = Files.readAllLines(p).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("require ")).count();
            assertEquals(statements, lines.size());
            long last = 0;
            for (Map<String, Object> l : lines) {
                assertEquals(Boolean.TRUE, l.get("pass"), l.toString());
                assertEquals(options.contains("--stage ") ? Long.parseLong(options
                        .replaceAll(".*--stage (\\d+).*", "$1")) : (long) ExtraStages.last(),
                        l.get("stage"));
                assertTrue((Long) l.get("line") > last);
                last = (Long) l.get("line");
                assertTrue(l.containsKey("call") && l.containsKey("args"));
                assertTrue(l.containsKey("result") || l.containsKey("errno") || l.containsKey("signal"));
            }
        }

        @Test
        void theScenariosCoverWhatTheIssueAsksFor() throws IOException {
            String all;
            try (Stream<Path> s = Files.list(scenarios())) {
                all = s.filter(Files::isRegularFile).map(p -> {
                    try {
                        return Files.readString(p);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).reduce("", String::concat);
            }
            for (String want : new String[] {"region_info fd BAR0 retry", "MAP_PRIVATE expect EINVAL",
                "expect SIGBUS", "expect EOVERFLOW", "memory fd disable", "reset "}) {
                assertTrue(all.contains(want), want);
            }
        }

        @Test
        void theI386ScenarioRefusesAnotherArch() throws IOException {
            Path p = scenarios().resolve("i386-eoverflow.vfio");
            int line = Files.readAllLines(p).indexOf("require arch i386") + 1;
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(2, r.code());
            assertEquals(p + ":" + line + ": the script needs --arch i386 (running x86_64)\n", r.err());
            assertEquals("", r.out(), "checked before anything runs");
        }

        @Test
        void sigbusLinesSayTheSignal() {
            Cli.Result r = Cli.run("run", scenarios().resolve("sigbus-after-memory-disable.vfio").toString());
            Map<String, Object> l = r.jsonLines().stream().filter(x -> "SIGBUS".equals(x.get("signal")))
                    .findFirst().orElseThrow();
            assertEquals("load", l.get("call"));
            assertEquals("SIGBUS", l.get("expect"));
            assertFalse(l.containsKey("result"));
        }
    }

    @Nested
    class Language {
        @Test
        void expressionsFollowCPrecedenceOnUnsigned64Bits() throws IOException {
            Path p = script(String.join("\n",
                    "expect (1 + 2 << 3) == 24",
                    "expect (1 | 6 & 3) == 3",
                    "expect (3 ^ 1) == 2",
                    "expect 64K == 0x10000",
                    "expect 1G == (1 << 30)",
                    "expect ~0 == 0xffff_ffff_ffff_ffff",
                    "expect -1 == ~0",
                    "expect -1 > 0",
                    "expect (1 << 64) == 0",
                    "expect (0x8000000000000000 >> 63) == 1",
                    "expect VFIO_DEVICE_GET_REGION_INFO == 15212",
                    "expect CONFIG == VFIO_PCI_CONFIG_REGION_INDEX",
                    "expect PAGE_SIZE == 4K",
                    "expect (PROT_READ | PROT_WRITE) == 3",
                    "expect 2 >= 2",
                    "expect 1 != 2",
                    ""));
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(0, r.code(), r.err() + r.out());
            assertEquals(16, r.jsonLines().size());
            Cli.Result k64 = Cli.run("run", "--arch", "arm64-64k", script("expect PAGE_SIZE == 64K\n").toString());
            assertEquals(0, k64.code(), k64.err());
        }

        @Test
        void openWithoutANameOpensTheDeviceGiven() throws IOException {
            Path p = script("fd = open\ni = get_info fd\nexpect i.num_regions == 9\n");
            Cli.Result r = Cli.run("run", "--device", "legacy-b0", p.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("legacy-b0", map(r.jsonLines().get(0).get("args")).get("device"));
        }

        @Test
        void rawIoctlBytesAndIrqInfo() throws IOException {
            Path p = script(String.join("\n",
                    "fd = open nic-vf",
                    "r = ioctl fd VFIO_DEVICE_GET_INFO arg=180000000000000000000000000000000000000000000000",
                    "expect r.ret == 0",
                    "q = ioctl fd VFIO_DEVICE_GET_INFO arg=1800 expect EFAULT",
                    "x = irq_info fd VFIO_PCI_MSIX_IRQ_INDEX",
                    "expect x.count == 64",
                    "y = ioctl fd 0x3b99 expect ENOTTY",
                    ""));
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(0, r.code(), r.err() + r.out());
            assertEquals("180000000300000009000000050000000000000000000000",
                    map(r.jsonLines().get(1).get("result")).get("arg"));
        }

        @Test
        void textFormat() throws IOException {
            Cli.Result r = Cli.run("run", "--format", "text", script("fd = open nic-vf\nclose fd\n").toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("   1  open {device=nic-vf} = {fd=3}  ok\n   2  close {fd=3} = {}  ok\n", r.out());
        }

        @Test
        void everyStage() throws IOException {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                Path p = script(String.join("\n", "fd = open nic-vf", "b = region_info fd BAR3",
                        "m = mmap fd b.offset b.size PROT_READ MAP_SHARED", ""));
                Cli.Result r = Cli.run("run", "--stage", "all", p.toString());
                assertEquals(1, r.code(), "the test stage refuses the BAR3 mapping");
                int next = ExtraStages.last();
                assertEquals(p + ":3: expectation failed at stage " + next
                        + ": mmap failed with ENXIO (no expect on this line)\n", r.err());
                List<Map<String, Object>> lines = r.jsonLines();
                List<vfiowb.common.stage.Stage> stages = vfiowb.common.stage.Stages.all();
                assertEquals(3 * stages.size(), lines.size(), "three statements at every stage");
                assertEquals((long) stages.get(0).number(), lines.get(0).get("stage"));
                Map<String, Object> last = lines.get(lines.size() - 1);
                assertEquals((long) next, last.get("stage"));
                assertEquals(Boolean.FALSE, last.get("pass"));
                assertTrue(lines.subList(0, lines.size() - 1).stream()
                        .allMatch(l -> Boolean.TRUE.equals(l.get("pass"))));
            }
        }
    }

    @Nested
    class FailedExpectations {
        @Test
        void exitOneWithTheLineAndTheTranscriptUpToIt() throws IOException {
            Path p = script("fd = open nic-vf\nb = region_info fd BAR0\nexpect b.size == 1\nclose fd\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(1, r.code());
            assertEquals(p + ":3: expectation failed: expected b.size == 1, got 0x10000 and 0x1\n", r.err());
            List<Map<String, Object>> lines = r.jsonLines();
            assertEquals(3, lines.size(), "stops at the failure");
            assertEquals(Boolean.FALSE, lines.get(2).get("pass"));
        }

        @Test
        void anErrnoWhereAnotherWasExpected() throws IOException {
            Path p = script("fd = open nic-vf\nb = region_info fd BAR0\n"
                    + "m = mmap fd b.offset 4K PROT_READ MAP_SHARED expect EINVAL\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(1, r.code());
            assertEquals(p + ":3: expectation failed: expected EINVAL, got success\n", r.err());
        }

        @Test
        void aSignalThatDidNotCome() throws IOException {
            Path p = script("fd = open nic-vf\nb = region_info fd BAR3\n"
                    + "m = mmap fd b.offset 4K PROT_READ MAP_SHARED\nload m 0 4 expect SIGBUS\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(1, r.code());
            assertEquals(p + ":4: expectation failed: expected SIGBUS, got success\n", r.err());
        }

        @Test
        void aValueThatDiffers() throws IOException {
            Path p = script("fd = open nic-vf\nc = region_info fd CONFIG\npread fd c.offset 2 expect 0x1234\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(1, r.code());
            assertEquals(p + ":3: expectation failed: expected 0x1234, got 0x8086\n", r.err());
        }

        @Test
        void anUnexpectedErrno() throws IOException {
            Path p = script("fd = open nic-vf\nr = region_info fd 99\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(1, r.code());
            assertEquals(p + ":2: expectation failed: region_info failed with EINVAL (no expect on "
                    + "this line)\n", r.err());
            assertEquals("EINVAL", r.jsonLines().get(1).get("name"));
        }
    }

    @Nested
    class MalformedScripts {
        static Stream<Arguments> cases() {
            return Stream.of(
                Arguments.of("fd = frob nic-vf", 1, "unknown operation 'frob' (one of open, close, get_info, "
                        + "region_info, irq_info, ioctl, reset, pread, pwrite, mmap, munmap, load, store, "
                        + "pagetable, touch, memory, wc_map, probe, expect, require)"),
                Arguments.of("fd = open no-such-dev", 1, "unknown device 'no-such-dev'"),
                Arguments.of("# c\n\nexpect x == 1", 3, "unknown name 'x' (not assigned before this line and "
                        + "not a constant)"),
                Arguments.of("fd = open nic-vf\nregion_info fd", 2, "region_info takes 2 arguments, got 1"),
                Arguments.of("fd = open nic-vf\nclose fd 3", 2, "close takes 1 argument, got more: '3'"),
                Arguments.of("fd = open nic-vf\nregion_info fd 0 argsx=3", 2, "region_info has no argument 'argsx'"),
                Arguments.of("fd = open nic-vf\nmemory fd off", 2, "memory takes enable or disable, not 'off'"),
                Arguments.of("fd = open nic-vf\nclose fd expect EWHAT", 2, "unknown errno 'EWHAT'"),
                Arguments.of("expect (1 + 2", 1, "unbalanced '('"),
                Arguments.of("expect 1 +", 1, "expression ends too early: '1 +'"),
                Arguments.of("expect 0xZZ == 1", 1, "bad number '0xZZ'"),
                Arguments.of("expect 1 $ 2", 1, "unexpected character '$' in '1 $ 2'"),
                Arguments.of("require arch vax", 1, "unknown arch 'vax'"),
                Arguments.of("fd= open nic-vf", 1, "write 'NAME = OP ...' with blanks around '='"),
                Arguments.of("PAGE_SIZE = open nic-vf", 1, "'PAGE_SIZE' is a constant"),
                Arguments.of("fd = open nic-vf\nioctl fd 1 arg=xyz", 2, "arg= takes hex bytes, e.g. "
                        + "arg=2000000000000000"),
                Arguments.of("expect", 1, "expect needs an expression"),
                Arguments.of("fd = open nic-vf\nclose fd expect", 2,
                        "expect needs an errno, SIGBUS, SIGSEGV, KERNEL_BUG, ok or a value"));
        }

        @ParameterizedTest(name = "{2}")
        @MethodSource("cases")
        void exitTwoWithFileLineMessageAndNothingRun(String text, int line, String message,
                @TempDir Path dir) throws IOException {
            Path p = dir.resolve("bad.vfio");
            Files.writeString(p, text + "\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(2, r.code());
            assertEquals(p + ":" + line + ": " + message + "\n", r.err());
            assertEquals("", r.out(), "nothing runs");
        }

        @Test
        void fieldAndValueMistakesAreFoundBeforeAnythingRuns() throws IOException {
            Path p = script("fd = open nic-vf\nb = region_info fd BAR0\nexpect b.sise == 1\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(2, r.code());
            assertEquals(p + ":3: b.sise: no field 'sise' (fields: argsz, flags, flagNames, index, "
                    + "cap_offset, size, offset, caps, capError)\n", r.err());
            assertEquals("", r.out(), "nothing runs");
            Path q = script("fd = open nic-vf\nb = region_info fd BAR0\nexpect b == 1\n");
            Cli.Result s = Cli.run("run", q.toString());
            assertEquals(2, s.code());
            assertEquals("", s.out());
            assertTrue(s.err().endsWith(":3: 'b' is the whole region_info result; name a field, e.g. "
                    + "b.argsz\n"), s.err());
            Path u = script("fd = open nic-vf\nload fd 0 4\n");
            Cli.Result t = Cli.run("run", u.toString());
            assertEquals(u + ":2: load takes a mapping: the name an mmap or wc_map line assigned, not 'fd'\n",
                    t.err());
            assertEquals("", t.out());
        }

        @Test
        void missingScript() {
            Cli.Result r = Cli.run("run", tmp.resolve("nope.vfio").toString());
            assertEquals(2, r.code());
            assertEquals("vfio-workbench run: " + tmp.resolve("nope.vfio") + ": no such file\n", r.err());
        }

        @Test
        void missingScriptArgument() {
            Cli.Result r = Cli.run("run");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().contains("Missing required parameter: 'SCRIPT'"), r.err());
        }
    }
}
