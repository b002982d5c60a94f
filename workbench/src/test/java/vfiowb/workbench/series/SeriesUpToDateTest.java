package vfiowb.workbench.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Each stage's patches, applied in order with the real {@code git apply}, each to the tree the
     * previous ones left, turn the earlier normalised stage into the later one; and so does the
     * whole directory in one {@code git apply} of its files concatenated.
     */
    @Test
    void eachStagesPatchesAppliedInOrderTurnTheEarlierStageIntoTheLaterOne() {
        Map<String, List<Series.Patch>> byPair = new LinkedHashMap<>();
        for (Series.Patch p : Series.expected(RealRepo.get())) {
            byPair.computeIfAbsent(Series.dirName(p.from(), p.to()), k -> new ArrayList<>()).add(p);
        }
        assertFalse(byPair.isEmpty());
        for (var e : byPair.entrySet()) {
            Series.Patch first = e.getValue().get(0);
            SourceTree from = SourceTree.working(first.from()).normalise(first.from());
            SourceTree to = SourceTree.working(first.to()).normalise(first.to());
            SourceTree now = from;
            StringBuilder all = new StringBuilder();
            int n = 0;
            for (Series.Patch p : e.getValue()) {
                n++;
                assertTrue(p.fileName().startsWith(e.getKey() + "/" + String.format("%04d-", n)), p.fileName());
                assertTrue(p.text().startsWith("Subject: [PATCH " + n + "/" + e.getValue().size() + "] "
                        + p.subject() + "\n\n"), p.fileName());
                now = GitApply.apply(dir.resolve(p.fileName()), now, p.text());
                all.append(p.text());
            }
            assertEquals(to, now, e.getKey());
            assertEquals(to, GitApply.apply(dir.resolve(e.getKey() + "-all"), from, all.toString()), e.getKey());
        }
    }

    /** Stage 4's patches are the driver conversions under their own subjects (issue 11). */
    @Test
    void stage4IsOnePatchPerDriverUnderTheSubjectsItsCommitsNamed() {
        Map<String, String> subjects = new LinkedHashMap<>();
        for (Series.Patch p : Series.expected(RealRepo.get())) {
            if (p.to().number() == 4) {
                subjects.put(p.unit().name(), p.subject());
            }
        }
        assertEquals("vfio/mlx5: Convert to the mmap cookie ops", subjects.get("mlx5"), subjects.toString());
        assertEquals("vfio/hisi_acc: Convert to the mmap cookie ops", subjects.get("hisilicon"));
        assertTrue(subjects.get("pci").startsWith("vfio/pci: "), subjects.toString());
        assertEquals("core", subjects.keySet().iterator().next(), "the core's patch comes first");
    }
}
