package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.conform.Declared;
import vfiowb.workbench.conform.Suite;

/** conform: the scenario by stage matrix and the differences between adjacent stages. */
class ConformCommandTest {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Nested
    class Matrix {
        @Test
        void everyScenarioAtEveryStageWithCountsOverTheDevices() {
            Cli.Result r = Cli.run("conform", "--device", "nic-vf", "--device", "mtty", "--format", "json");
            Map<String, Object> j = r.json();
            assertEquals(r.code() == 0 || r.code() == Workbench.KERNEL_BUG, j.get("passed"));
            assertEquals((long) Stages.all().size(), (long) ((List<?>) j.get("stages")).size());
            List<Map<String, Object>> matrix = list(j.get("matrix"));
            assertEquals(List.copyOf(Suite.keys().keySet()), matrix.stream().map(m -> m.get("key")).toList());
            assertTrue(Suite.keys().keySet().containsAll(List.of("profile", "client:qemu", "client:dpdk",
                    "scenario:RI-01", "scenario:MM-02")));
            for (Map<String, Object> row : matrix) {
                for (Object cell : map(row.get("stages")).values()) {
                    Map<String, Object> c = map(cell);
                    assertEquals(2L, (Long) c.get("pass") + (Long) c.get("fail") + (Long) c.get("declared")
                            + (Long) c.get("kernelBug")
                            + (Long) c.get("na") + (Long) c.get("unbound"), row.toString());
                }
            }
            List<Map<String, Object>> results = list(j.get("results"));
            assertEquals(2 * Suite.keys().size() * Stages.all().size(), results.size());
            for (Map<String, Object> res : results) {
                assertTrue(Set.of("pass", "fail", "kernel-bug", "n/a", "unbound").contains(res.get("status")),
                        res.toString());
                assertEquals(List.of("device", "key", "stage", "status", "messages", "declared"),
                        List.copyOf(res.keySet()));
            }
            Map<String, Object> nicMmap = results.stream().filter(x -> x.get("device").equals("nic-vf")
                    && x.get("key").equals("scenario:MM-02")).findFirst().orElseThrow();
            assertEquals("pass", nicMmap.get("status"), "MAP_PRIVATE refused on the NIC VF");
        }

        @Test
        void textAndMarkdownMatrices() {
            Cli.Result t = Cli.run("conform", "--device", "nic-vf");
            assertEquals(0, t.code(), t.out());
            List<String> lines = t.out().lines().toList();
            assertTrue(lines.get(0).startsWith("conformance on x86_64, 1 device: "), lines.get(0));
            String head = lines.get(1);
            assertTrue(head.startsWith("  scenario "), t.out());
            Stages.all().forEach(s -> assertTrue(head.contains("stage " + s.number()), head));
            String ri = lines.stream().filter(l -> l.startsWith("  RI-01 ")).findFirst().orElseThrow();
            assertTrue(ri.matches("  RI-01 +(PASS 1 +)+Plain BAR info.*"), ri);
            assertFalse(t.out().contains("failures:"), t.out());
            Cli.Result m = Cli.run("conform", "--device", "nic-vf", "--format", "markdown");
            assertEquals(0, m.code());
            assertTrue(m.out().startsWith("## Conformance on x86_64\n\n| scenario |"), m.out());
            assertTrue(m.out().contains(" stage " + ExtraStages.last() + " | title |\n|----------|"), m.out());
            assertTrue(m.out().contains("| MM-02 | PASS 1 |"), m.out());
        }

        @Test
        void aDeviceNoStageBindsIsDashes() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.BadStage.class)) {
                Cli.Result r = Cli.run("conform", "--stage", "40", "--device", "nic-vf");
                assertEquals(0, r.code(), r.out());
                String ri = r.out().lines().filter(l -> l.startsWith("  RI-01 ")).findFirst().orElseThrow();
                assertTrue(ri.matches("  RI-01 +- +Plain.*"), ri);
            }
        }
    }

    @Nested
    class AdjacentStages {
        @Test
        void anUndeclaredDifferenceFailsTheRun() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                int next = ExtraStages.last();
                String prev = String.valueOf(next - 1);
                Cli.Result r = Cli.run("conform", "--stage", prev, "--stage", String.valueOf(next),
                        "--device", "nic-vf");
                assertEquals(2, r.code(), "one --stage only");
                Cli.Result all = Cli.run("conform", "--device", "nic-vf");
                assertEquals(1, all.code(), all.out());
                assertTrue(all.out().contains("  nic-vf client:qemu, stage " + prev + " -> " + next + ":"),
                        all.out());
                assertTrue(all.out().contains("ENXIO  NOT DECLARED"), all.out());
                assertTrue(all.out().contains("failures:\n  stage " + next + " nic-vf "), all.out());
                Cli.Result j = Cli.run("conform", "--device", "nic-vf", "--format", "json");
                assertEquals(1, j.code());
                assertEquals(Boolean.FALSE, j.json().get("passed"));
                Map<String, Object> d = list(j.json().get("differences")).stream()
                        .filter(e -> e.get("key").equals("client:qemu")).findFirst().orElseThrow();
                assertEquals(Long.valueOf(prev), d.get("from"));
                assertEquals((long) next, d.get("to"));
                Map<String, Object> line = list(d.get("lines")).get(0);
                assertEquals(Boolean.FALSE, line.get("declared"));
                assertNull(line.get("reason"));
                Cli.Result md = Cli.run("conform", "--device", "nic-vf", "--format", "markdown");
                assertTrue(md.out().contains("### Differences between adjacent stages"), md.out());
                assertTrue(md.out().contains("**not declared**"), md.out());
                assertTrue(md.out().contains("### Failures"), md.out());
            }
        }

        @Test
        void aDeclarationMatchesStagesDeviceKeyAndLine() {
            Declared.Difference d = new Declared.Difference(2, 3, Pattern.compile(".*"),
                    Pattern.compile("scenario:MM-.*"), Pattern.compile("mmap .* -> ENXIO"), "cookies");
            assertTrue(d.matches(2, 3, "nic-vf", "scenario:MM-01", "  mmap BAR3 + 0x0 -> ENXIO"));
            assertFalse(d.matches(1, 2, "nic-vf", "scenario:MM-01", "mmap BAR3 + 0x0 -> ENXIO"));
            assertFalse(d.matches(2, 3, "nic-vf", "client:qemu", "mmap BAR3 + 0x0 -> ENXIO"));
            assertFalse(d.matches(2, 3, "nic-vf", "scenario:MM-01", "mmap BAR3 + 0x0 -> ok"));
            assertNull(Declared.find(1, 2, "nic-vf", "profile", "anything"));
        }

        @Test
        void theSeriesOwnUserspaceChangesAreDeclaredWithTheirPatches() {
            Cli.Result r = Cli.run("conform", "--device", "ap-matrix", "--device", "mbochs", "--format", "json");
            for (Map<String, Object> d : list(r.json().get("differences"))) {
                for (Map<String, Object> line : list(d.get("lines"))) {
                    assertEquals(Boolean.TRUE, line.get("declared"), d.get("device") + " " + line);
                    assertTrue(((String) line.get("reason")).startsWith("\"" + line.get("patch")
                            + "\""), line.toString());
                }
            }
            assertTrue(Declared.find(1, 2, "ap-matrix", "scenario:RI-04",
                    "GET_REGION_INFO region 0 argsz=32 -> EOPNOTSUPP").reason().contains("-EINVAL"));
            assertNull(Declared.find(1, 2, "nic-vf", "scenario:MM-01", "mmap BAR0 + 0x0 -> EINVAL"));
        }
    }

    @Nested
    class DeclaredFailures {
        @Test
        void withNoArgumentsEveryFailureAndDifferenceIsDeclaredAndTheExitIsZero() {
            Cli.Result r = Cli.run("conform");
            assertEquals(r.out().contains("upstream kernel bugs reached") ? Workbench.KERNEL_BUG : 0,
                    r.code(), "not 1: nothing failed that no declaration explains\n" + r.out());
            assertFalse(r.out().contains("NOT DECLARED"), r.out());
            assertFalse(r.out().contains("\nfailures:"), r.out());
            assertTrue(r.out().contains("declared failures"), r.out());
        }

        @Test
        void stageOneShowsThePreSeriesBehaviourWithThePatchThatRemovesIt() {
            Cli.Result r = Cli.run("conform", "--device", "ap-matrix", "--device", "mbochs",
                    "--device", "nic-vf", "--format", "json");
            Map<String, Object> j = r.json();
            assertEquals((Long) j.get("kernelBugs") > 0 ? Workbench.KERNEL_BUG : 0, r.code(), r.out());
            assertEquals(Boolean.TRUE, j.get("passed"));
            List<Map<String, Object>> failed = list(j.get("results")).stream()
                    .filter(x -> x.get("status").equals("fail")).toList();
            assertFalse(failed.isEmpty(), "stage 1 fails the post-series suite on mbochs and vfio-ap");
            for (Map<String, Object> f : failed) {
                assertEquals(1L, f.get("stage"), f.toString());
                List<Map<String, Object>> why = list(f.get("declared"));
                assertEquals(1, why.size(), f.toString());
                String patch = (String) why.get(0).get("patch");
                assertEquals(2L, why.get(0).get("stage"));
                assertTrue(Stages.byNumber(2).patchSubjects().contains(patch), patch);
                assertEquals(f.get("device").equals("mbochs")
                        ? "vfio/mbochs: Convert mbochs to use vfio_info_add_capability()"
                        : "vfio: Require drivers to implement get_region_info", patch);
            }
            Map<String, Object> ri02 = failed.stream().filter(x -> x.get("key").equals("scenario:RI-02"))
                    .findFirst().orElseThrow();
            String messages = String.join("; ", (List<String>) (List<?>) ri02.get("messages"));
            assertTrue(messages.contains("malformed at offset 0xa5a5a5a5"), messages);
            assertFalse(messages.contains("2779096485"), "poison in hex: " + messages);
            Map<String, Object> cell = map(map(list(j.get("matrix")).stream()
                    .filter(m -> m.get("key").equals("scenario:RI-04")).findFirst().orElseThrow()
                    .get("stages")).get("1"));
            assertEquals(1L, cell.get("declared"));
            assertEquals(0L, cell.get("fail"));
            Cli.Result t = Cli.run("conform", "--device", "mbochs", "--stage", "1");
            assertTrue(t.code() == 0 || t.code() == Workbench.KERNEL_BUG, t.out());
            assertTrue(t.out().lines().anyMatch(l -> l.matches("  CAP-01 +DECL 1/1 .*")), t.out());
            assertTrue(t.out().contains("    declared: \"vfio/mbochs: Convert mbochs to use "
                    + "vfio_info_add_capability()\" (stage 2) removes it: "), t.out());
        }

        @Test
        void aFailureOnlyPartlyExplainedIsReal() {
            Declared.Context c = Declared.Context.DEFAULT;
            String chain = "capability chain of region 9 malformed: capability chain malformed at "
                    + "offset 0x20: header [0x20, 0x28) extends past the end of the valid buffer";
            assertEquals(1, Declared.explaining(c, 1, "mbochs", "scenario:CAP-01", List.of(chain)).size());
            assertNull(Declared.explaining(c, 1, "mbochs", "scenario:CAP-01",
                    List.of(chain, "mmap BAR0 succeeds (observed EINVAL)")), "one message unexplained");
            assertNull(Declared.explaining(c, 2, "mbochs", "scenario:CAP-01", List.of(chain)),
                    "stage 2 has the patch: the same failure there is real");
            assertNull(Declared.explaining(c, 1, "mdpy", "scenario:CAP-01", List.of(chain)),
                    "another driver");
            assertNull(Declared.explaining(c, 1, "ap-matrix", "scenario:RI-04",
                    List.of("index 0 fails with EINVAL (observed ENOTTY)")), "another errno");
            assertNull(Declared.explaining(c, 3, "nic-vf", "scenario:RI-08",
                    List.of("CONFIG info succeeds (observed EOVERFLOW)")), "the default policy");
            assertEquals(1, Declared.explaining(new Declared.Context(vfiowb.common.mm.Arch.I386,
                    vfiowb.common.stage.SeriesPolicy.parse("keys=bytes")), 3, "nic-vf",
                    "scenario:RI-08", List.of("CONFIG info succeeds (observed EOVERFLOW)")).size());
        }

        @Test
        void everyDeclarationNamesAPatchOfItsStage() {
            for (Declared.Difference d : Declared.all()) {
                List<String> subjects = Stages.byNumber(d.to()).patchSubjects();
                assertFalse(Declared.patches(d.patch(), subjects).isEmpty(),
                        d.patch() + " is no patch of stage " + d.to());
            }
            assertEquals(16, Declared.patches("vfio/<driver>: Convert to the mmap cookie ops",
                    Stages.byNumber(4).patchSubjects()).size(), "one per converted driver");
        }
    }
}
