package vfiowb.workbench.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code series/} in the repository is what the stage modules produce, and it applies. */
class SeriesUpToDateTest {
    @TempDir
    Path dir;

    @Test
    void seriesDirectoryMatchesTheStageModules() {
        List<Series.Entry> entries = Series.check(RealRepo.get());
        assertFalse(entries.isEmpty(), "stages 1 and 2 have sources, so series/ has a patch");
        String stale = entries.stream().filter(e -> e.state() != Series.State.UP_TO_DATE)
                .map(Series.Entry::describe).collect(Collectors.joining("; "));
        assertEquals("", stale, "series/ is out of date: " + stale + ". Run '" + Series.UPDATE_COMMAND
                + "' at the repository root and commit series/ with the stage change.");
    }

    @Test
    void eachPatchTurnsTheEarlierNormalisedStageIntoTheLaterOne() {
        int applied = 0;
        for (Series.Patch p : Series.expected(RealRepo.get())) {
            SourceTree from = SourceTree.working(p.from()).normalise(p.from().number());
            SourceTree to = SourceTree.working(p.to()).normalise(p.to().number());
            assertEquals(to, GitApply.apply(dir.resolve(p.fileName()), from, p.text()), p.fileName());
            assertTrue(p.text().startsWith("Stage " + p.to().number() + " (" + p.to().name() + ")"));
            applied++;
        }
        assertTrue(applied > 0);
    }
}
