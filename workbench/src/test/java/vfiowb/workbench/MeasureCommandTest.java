package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vfiowb.common.stage.Stages;

/** {@code measure repeat} on a short run: its report, its verdict, its refusals. */
class MeasureCommandTest {
    @Test
    @SuppressWarnings("unchecked")
    void everyStageReportsBothSeriesFlatInJson() {
        Cli.Result r = Cli.run("measure", "repeat", "--stage", "all", "--calls", "500", "--cycles",
                "40", "--samples", "1", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = r.json();
        assertEquals(Boolean.TRUE, j.get("flat"));
        List<Object> runs = (List<Object>) j.get("runs");
        assertEquals(Stages.all().size(), runs.size());
        for (Object o : runs) {
            Map<String, Object> run = (Map<String, Object>) o;
            List<Object> series = (List<Object>) run.get("series");
            assertEquals(2, series.size());
            for (Object s : series) {
                Map<String, Object> m = (Map<String, Object>) s;
                assertEquals(Boolean.TRUE, m.get("countsFlat"), run.get("stage") + ": " + m);
                assertEquals(2, ((List<Object>) m.get("samples")).size());
            }
        }
    }

    @Test
    void theTextReportSaysFlatPerStageAndSeries() {
        Cli.Result r = Cli.run("measure", "repeat", "--stage", "3", "--device", "gpu-64g",
                "--calls", "300", "--cycles", "20", "--samples", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("stage 3  gpu-64g  FLAT"), r.out());
        assertTrue(r.out().contains("REGION_INFO on one file, 300: flat"), r.out());
        assertTrue(r.out().contains("open/probe/mmap/munmap/close cycles, 20: flat"), r.out());
        assertTrue(r.out().contains("mmap ok 20"), r.out());
    }

    @Test
    void badArgumentsAreOneLineUsageErrors() {
        for (String[] args : List.of(new String[] {"measure"},
                new String[] {"measure", "repeat", "--samples", "0"},
                new String[] {"measure", "repeat", "--calls", "-1"},
                new String[] {"measure", "repeat", "--device", "nope"},
                new String[] {"measure", "repeat", "--format", "markdown"})) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.oneErrorLine(), r.err());
        }
    }
}
