package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.stage.Stages;

/** conform: the scenario by stage matrix and the differences between adjacent stages. */
class ConformCommandTest {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @Nested
    class Matrix {
        @Test
        void everyDeviceAndScenarioAtEveryStage() {
            Cli.Result r = Cli.run("conform", "--format", "json");
            assertEquals(0, r.code(), r.out());
            Map<String, Object> j = r.json();
            assertEquals(Boolean.TRUE, j.get("passed"));
            assertEquals((long) Stages.all().size(), (long) ((List<?>) j.get("stages")).size());
            List<Map<String, Object>> results = list(j.get("results"));
            assertEquals(DeviceCatalogue.all().size() * 2 * Stages.all().size(), results.size());
            for (Map<String, Object> res : results) {
                assertTrue(Set.of("pass", "unbound").contains(res.get("status")), res.toString());
                assertTrue(res.keySet().containsAll(List.of("device", "scenario", "stage", "detail")));
            }
            assertTrue(results.contains(Map.of("device", "nic-vf", "scenario", "qemu",
                    "stage", (long) ExtraStages.last(), "status", "pass")) || results.stream().anyMatch(
                            x -> x.get("device").equals("nic-vf") && x.get("status").equals("pass")));
            Map<String, Object> dpdkOnMtty = results.stream().filter(x -> x.get("device").equals("mtty")
                    && x.get("scenario").equals("dpdk")).findFirst().orElseThrow();
            assertEquals("unbound", dpdkOnMtty.get("status"));
        }

        @Test
        void textAndMarkdownMatrices() {
            Cli.Result t = Cli.run("conform", "--device", "nic-vf", "--device", "mtty");
            assertEquals(0, t.code(), t.err());
            List<String> lines = t.out().lines().toList();
            String head = lines.get(1);
            assertTrue(head.startsWith("  device / scenario "), t.out());
            Stages.all().forEach(s -> assertTrue(head.contains("stage " + s.number()), head));
            String nic = lines.stream().filter(l -> l.startsWith("  nic-vf / qemu ")).findFirst().orElseThrow();
            assertTrue(nic.endsWith("PASS"), nic);
            String mtty = lines.stream().filter(l -> l.startsWith("  mtty / dpdk ")).findFirst().orElseThrow();
            assertTrue(mtty.substring("  mtty / dpdk ".length()).matches("[ -]+"), "DPDK is PCI only: " + mtty);
            Cli.Result m = Cli.run("conform", "--device", "nic-vf", "--format", "markdown");
            assertEquals(0, m.code());
            assertTrue(m.out().contains("| device | scenario | stage "), m.out());
            assertTrue(m.out().contains(" stage " + ExtraStages.last() + " |\n|--------|----------|"), m.out());
            assertTrue(m.out().contains("| nic-vf | dpdk | PASS |"), m.out());
        }

        @Test
        void oneStageShowsNoDifferences() {
            Cli.Result r = Cli.run("conform", "--stage", String.valueOf(ExtraStages.last()),
                    "--device", "nic-vf");
            assertEquals(0, r.code());
            assertFalse(r.out().contains("differences"), r.out());
        }
    }

    @Nested
    class AdjacentStages {
        @Test
        void anUndeclaredDifferenceFailsTheRun() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                int next = ExtraStages.last();
                Cli.Result r = Cli.run("conform", "--stage", "all", "--device", "nic-vf");
                assertEquals(1, r.code(), r.out());
                assertTrue(r.out().contains("  nic-vf / qemu, stage " + (next - 1) + " -> " + next + ":"),
                        r.out());
                assertTrue(r.out().contains("    + mmap(NULL, 0x4000, PROT_READ|PROT_WRITE, MAP_SHARED, 3, "
                        + "BAR3+0x0) = -1 ENXIO  NOT DECLARED"), r.out());
                Cli.Result j = Cli.run("conform", "--stage", "all", "--device", "nic-vf", "--format", "json");
                assertEquals(1, j.code());
                assertEquals(Boolean.FALSE, j.json().get("passed"));
                Map<String, Object> d = list(j.json().get("differences")).get(0);
                assertEquals((long) next - 1, d.get("from"));
                assertEquals((long) next, d.get("to"));
                Map<String, Object> line = list(d.get("lines")).get(0);
                assertEquals(Boolean.FALSE, line.get("declared"));
                assertEquals(null, line.get("reason"));
                Cli.Result md = Cli.run("conform", "--stage", "all", "--device", "nic-vf", "--format",
                        "markdown");
                assertTrue(md.out().contains("### Differences between adjacent stages"), md.out());
                assertTrue(md.out().contains("**not declared**"), md.out());
            }
        }
    }
}
