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
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.kernelbugs.KnownKernelBugs;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stages;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.serve.Server;

/**
 * Every command tells an upstream kernel bug apart from an errno, a signal and a model bug:
 * serve answers {@code "kernel_bug"} beside the errno or signal, run and walk name it on stderr
 * and exit 4, conform counts it apart from failures; docs/kernel-bugs.md lists every known bug
 * with a reproducer under scenarios/kernel-bugs/ that reports it.
 */
class KernelBugCommandsTest {
    private static final String MBOCHS_FN = "samples/vfio-mdev/mbochs.c:__mbochs_get_page";

    /** The repository root (tests run in workbench/). */
    static Path root() {
        return Files.isDirectory(Path.of("..", "scenarios")) ? Path.of("..") : Path.of(".");
    }

    static Path reproducers() {
        return root().resolve("scenarios").resolve("kernel-bugs");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Nested
    class Serve {
        private Map<String, Object> call(Server s, String request) {
            return Json.parseObject(s.handle(request));
        }

        @Test
        void aSyscallAnswersItsErrnoAndTheKernelBug() {
            Server s = new Server(new Process(Stages.byNumber(1).boot(Arch.X86_64,
                    List.of(DeviceCatalogue.byName("mbochs").orElseThrow()))));
            assertEquals(3L, call(s, "{\"op\":\"open\",\"device\":\"mbochs\"}").get("fd"));
            Map<String, Object> r = call(s, "{\"op\":\"pread\",\"fd\":3,\"offset\":\"0x1002ffc\","
                    + "\"count\":8}");
            assertEquals(List.of("errno", "name", "kernel_bug"), List.copyOf(r.keySet()));
            assertEquals(14L, r.get("errno"));
            Map<String, Object> b = map(r.get("kernel_bug"));
            assertEquals(List.of("function", "kind", "reason"), List.copyOf(b.keySet()));
            assertEquals(MBOCHS_FN, b.get("function"));
            assertEquals("out-of-bounds", b.get("kind"));
            assertTrue(b.get("reason").toString().startsWith("pages[4097] read past pagecount 4096"));
            Map<String, Object> ok = call(s, "{\"op\":\"pread\",\"fd\":3,\"offset\":\"0x3000\",\"count\":4}");
            assertEquals(4L, ok.get("ret"), "the process goes on");
            assertFalse(call(s, "{\"op\":\"pread\",\"fd\":3,\"offset\":\"0x7000000000\",\"count\":4}")
                    .containsKey("kernel_bug"), "an ordinary EFAULT carries none");
        }

        @Test
        void aFaultAnswersSigsegvAndTheKernelBug() {
            Server s = new Server(new Process(Stages.byNumber(1).boot(Arch.X86_64,
                    List.of(DeviceCatalogue.byName("nvgrace-gh200").orElseThrow()))));
            call(s, "{\"op\":\"open\",\"device\":\"nvgrace-gh200\"}");
            call(s, "{\"op\":\"mmap\",\"fd\":3,\"length\":4096,\"prot\":3,\"flags\":2,"
                    + "\"offset\":\"0x40000000000\"}");
            Map<String, Object> r = call(s, "{\"id\":7,\"op\":\"load\",\"map\":1,\"offset\":0,\"width\":4}");
            assertEquals(List.of("id", "signal", "kernel_bug"), List.copyOf(r.keySet()));
            assertEquals("SIGSEGV", r.get("signal"));
            assertEquals("mm/memory.c:vmf_insert_pfn_prot", map(r.get("kernel_bug")).get("function"));
            assertEquals("BUG_ON", map(r.get("kernel_bug")).get("kind"));
        }
    }

    @Nested
    class Run {
        static Stream<String> scripts() throws IOException {
            try (Stream<Path> s = Files.list(reproducers())) {
                return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".vfio"))
                        .sorted().toList().stream();
            }
        }

        /**
         * Each reproducer reports its bug on every stage that still has it, and exits 4; on a
         * stage the series removed it from, the script's expectation fails (exit 1) and nothing
         * reports a kernel bug.
         */
        @ParameterizedTest
        @MethodSource("scripts")
        void eachReproducerReportsItsKernelBug(String name) throws IOException {
            Path p = reproducers().resolve(name);
            String text = Files.readString(p);
            KnownKernelBugs.Entry e = KnownKernelBugs.ALL.stream()
                    .filter(k -> name.equals(k.name() + ".vfio")).findFirst().orElseThrow(
                            () -> new AssertionError(name + " is named after no known kernel bug"));
            for (int stage : Stages.all().stream().map(st -> st.number()).toList()) {
                Cli.Result r = Cli.run("run", "--stage", String.valueOf(stage), p.toString());
                if (!e.presentAt(stage)) {
                    assertEquals(Workbench.CHECK_FAILED, r.code(), "stage " + stage + ": " + r.err() + r.out());
                    assertTrue(r.jsonLines().stream().noneMatch(l -> l.containsKey("kernel_bug")), r.out());
                    assertTrue(r.err().contains("expected a kernel bug"), r.err());
                    continue;
                }
                assertEquals(Workbench.KERNEL_BUG, r.code(), r.err() + r.out());
                List<Map<String, Object>> lines = r.jsonLines();
                assertTrue(lines.stream().allMatch(l -> Boolean.TRUE.equals(l.get("pass"))), r.out());
                List<Map<String, Object>> bugs = lines.stream().filter(l -> l.containsKey("kernel_bug")).toList();
                assertFalse(bugs.isEmpty(), r.out());
                for (Map<String, Object> l : bugs) {
                    String fn = map(l.get("kernel_bug")).get("function").toString();
                    assertTrue(e.functions().contains(fn), fn);
                    assertTrue(l.containsKey("errno") || l.containsKey("signal"), l.toString());
                    assertTrue(r.err().contains(p + ":" + l.get("line") + ": kernel bug: "
                            + e.kind().label() + " in " + fn.substring(fn.indexOf(':') + 1) + " ("
                            + fn.substring(0, fn.indexOf(':')) + "): "), r.err());
                }
                assertEquals(bugs.size(), r.err().lines().count(), "one stderr line per kernel bug");
            }
            assertTrue(text.contains("docs/kernel-bugs.md"), "the script points at the catalogue");
        }

        @Test
        void anUnexpectedKernelBugStopsTheScriptAndExitsFour(@TempDir Path tmp) throws IOException {
            Path p = tmp.resolve("t.vfio");
            Files.writeString(p, "fd = open mbochs\nv = pread fd 0x1002ffc 4\nw = pread fd 0 2\n");
            Cli.Result r = Cli.run("run", "--stage", "1", p.toString());
            assertEquals(Workbench.KERNEL_BUG, r.code(), r.err());
            assertEquals(2, r.jsonLines().size(), "stopped at line 2");
            assertEquals(Boolean.FALSE, r.jsonLines().get(1).get("pass"));
            assertEquals(List.of(p + ":2: kernel bug: out-of-bounds in __mbochs_get_page "
                    + "(samples/vfio-mdev/mbochs.c): pages[4097] read past pagecount 4096: mdev_access "
                    + "subtracts MBOCHS_MMIO_BAR_OFFSET, not MBOCHS_MEMORY_BAR_OFFSET, from a video-memory "
                    + "offset", p + ":2: stopped at the kernel bug (expect KERNEL_BUG there to go on)"),
                    r.err().lines().toList());
        }

        @Test
        void expectKernelBugFailsWithoutOneOrInAnotherFunction(@TempDir Path tmp) throws IOException {
            Path p = tmp.resolve("t.vfio");
            Files.writeString(p, "fd = open mbochs\nv = pread fd 0 2 expect KERNEL_BUG\n");
            Cli.Result r = Cli.run("run", "--stage", "1", p.toString());
            assertEquals(Workbench.CHECK_FAILED, r.code());
            assertEquals(p + ":2: expectation failed: expected a kernel bug, got success\n", r.err());
            Files.writeString(p, "fd = open mbochs\nv = pread fd 0x1002ffc 4 expect KERNEL_BUG mdev_access\n");
            Cli.Result q = Cli.run("run", "--stage", "1", p.toString());
            assertEquals(Workbench.CHECK_FAILED, q.code());
            assertTrue(q.err().endsWith(p + ":2: expectation failed: expected a kernel bug in mdev_access, "
                    + "got one in " + MBOCHS_FN + "\n"), q.err());
            Files.writeString(p, "fd = open mbochs\nv = pread fd 0 2 expect KERNEL_BUG not a function\n");
            assertEquals(Workbench.USAGE, Cli.run("run", p.toString()).code());
        }

        @Test
        void theTextTranscriptMarksTheKernelBug() {
            Cli.Result r = Cli.run("run", "--stage", "1", "--format", "text",
                    reproducers().resolve("mbochs-pages-oob.vfio").toString());
            assertTrue(r.out().contains(" = -1 EFAULT [kernel bug: out-of-bounds in " + MBOCHS_FN + "]"),
                    r.out());
        }
    }

    @Nested
    class Walk {
        @Test
        void aWalkThatReachesAKernelBugNamesItAndExitsFour() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                ExtraStages.NextStage.kernelBug = true;
                Cli.Result r = Cli.run("walk");
                assertEquals(Workbench.KERNEL_BUG, r.code(), r.err());
                assertTrue(r.out().contains("BAR3+0x0 */) = -1 EFAULT (kernel bug: NULL pointer dereference "
                        + "in test_mmap, drivers/vfio/pci/test.c)"), r.out());
                assertTrue(r.out().contains("upstream kernel bug: NULL pointer dereference in test_mmap "
                        + "(drivers/vfio/pci/test.c): test: no region past BAR0"), r.out());
                assertTrue(r.err().lines().allMatch(l -> l.equals("vfio-workbench walk: kernel bug: NULL "
                        + "pointer dereference in test_mmap (drivers/vfio/pci/test.c): test: no region past "
                        + "BAR0")), r.err());
                Cli.Result j = Cli.run("walk", "--format", "json", "--no-compare");
                List<Object> bugs = (List<Object>) j.json().get("kernelBugs");
                assertFalse(bugs.isEmpty());
                assertEquals("drivers/vfio/pci/test.c:test_mmap", map(bugs.get(0)).get("function"));
            }
        }
    }

    @Nested
    class Conform {
        @Test
        void kernelBugsAreCountedApartFromFailures() {
            Cli.Result r = Cli.run("conform", "--stage", "1", "--device", "mtty");
            assertEquals(Workbench.KERNEL_BUG, r.code(), r.out());
            String rw11 = r.out().lines().filter(l -> l.startsWith("  RW-11 ")).findFirst().orElseThrow();
            assertTrue(rw11.matches("  RW-11 +KBUG 1/1 +First, last.*"), rw11);
            assertFalse(r.out().contains("failures:"), r.out());
            assertTrue(r.out().contains("upstream kernel bugs reached (not failures of the model; "
                    + "docs/kernel-bugs.md):\n  stage 1 mtty scenario:RW-01: kernel bug: out-of-bounds in "
                    + "samples/vfio-mdev/mtty.c:mdev_access: "), r.out());
            Map<String, Object> j = Cli.run("conform", "--stage", "1", "--device", "mtty", "--format", "json")
                    .json();
            assertEquals(Boolean.TRUE, j.get("passed"));
            assertEquals(2L, j.get("kernelBugs"));
            assertTrue(((List<?>) j.get("results")).stream().map(KernelBugCommandsTest::map)
                    .anyMatch(x -> x.get("key").equals("scenario:RW-11") && x.get("status").equals("kernel-bug")));
            Cli.Result m = Cli.run("conform", "--stage", "1", "--device", "mtty", "--format", "markdown");
            assertTrue(m.out().contains("| RW-11 | KBUG 1/1 |"), m.out());
            assertTrue(m.out().contains("### Upstream kernel bugs reached"), m.out());
        }
    }

    /** docs/kernel-bugs.md lists every known bug, its functions and its reproducer. */
    @Test
    void theCatalogueDocumentsEveryKnownKernelBug() throws IOException {
        String doc = Files.readString(root().resolve("docs").resolve("kernel-bugs.md"));
        for (KnownKernelBugs.Entry e : KnownKernelBugs.ALL) {
            assertTrue(doc.contains("scenarios/kernel-bugs/" + e.name() + ".vfio"), e.name());
            assertTrue(Files.exists(reproducers().resolve(e.name() + ".vfio")), e.name());
            for (String fn : e.functions()) {
                assertTrue(doc.contains("`" + fn + "`"), fn);
            }
        }
    }
}
