package vfiowb.common.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import vfiowb.common.conformance.RelocatingStage;
import vfiowb.common.stage.Stage;

/**
 * The Linux 6.12 transcripts replayed on a stage (see {@link OracleReplay}): one test per
 * recorded device, failing with every difference not declared in {@link OracleDifferences};
 * a declared difference that no longer shows fails too. A stage module subclasses this with its
 * stage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StageReplayTests {
    private final Stage stage;
    private final List<DeclaredDifference> declared;
    private List<OracleTranscript> transcripts;
    private final Map<String, OracleReplay.Result> results = new LinkedHashMap<>();

    protected StageReplayTests(Stage stage) {
        this(stage, List.of());
    }

    /**
     * @param stage the stage under test
     * @param seriesChanges what the stage changes on purpose, each naming the series' patch in
     *     place of an upstream commit; checked like {@link OracleDifferences#DECLARED}
     */
    protected StageReplayTests(Stage stage, List<DeclaredDifference> seriesChanges) {
        this.stage = stage;
        this.declared = Stream.concat(OracleDifferences.DECLARED.stream(),
                seriesChanges.stream()).toList();
    }

    /**
     * The replay of {@code t}, run by the first test that asks for it and kept for the others.
     * Not run in a {@code @BeforeAll}: a mutation tester credits a test only with the code run
     * inside it, and runs each test on its own, so each test must be able to replay what it
     * checks.
     */
    private OracleReplay.Result result(OracleTranscript t) {
        OracleReplay.Result r = results.get(t.device());
        if (r == null) {
            long t0 = System.nanoTime();
            r = OracleReplay.run(stage, t);
            results.put(t.device(), r);
            System.out.println("stage " + stage.number() + " " + r.summary() + " in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
        return r;
    }

    /** The recorded transcripts, read once. */
    private List<OracleTranscript> transcripts() {
        if (transcripts == null) {
            transcripts = OracleTranscript.all();
        }
        return transcripts;
    }

    /** Every transcript's replay, by device, in the transcripts' order. */
    private Map<String, OracleReplay.Result> results() {
        Map<String, OracleReplay.Result> all = new LinkedHashMap<>();
        for (OracleTranscript t : transcripts()) {
            all.put(t.device(), result(t));
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> replayAgreesWithLinux612() {
        return transcripts().stream().map(t -> DynamicTest.dynamicTest(t.device(), () -> {
            OracleReplay.Result r = result(t);
            List<String> undeclared = OracleDifferences.undeclared(r.differences(), declared).stream()
                    .map(Difference::toString).toList();
            assertTrue(undeclared.isEmpty(), undeclared.size() + " undeclared difference(s) from "
                    + OracleTranscript.fileName(r.device()) + ":\n" + String.join("\n", undeclared));
        }));
    }

    @Test
    void everyDeclaredDifferenceStillShows() {
        Map<String, List<Difference>> found = new LinkedHashMap<>();
        results().forEach((device, r) -> found.put(device, r.differences()));
        List<String> gone = OracleDifferences.stale(found, declared);
        assertTrue(gone.isEmpty(), "fixed? remove from OracleDifferences:\n" + String.join("\n", gone));
    }

    /** Every record is replayed except the container, group and IOMMU ones and the run's setup. */
    @Test
    void onlyOutOfScopeRecordsAreSkipped() {
        for (OracleTranscript t : transcripts()) {
            OracleReplay.Result r = result(t);
            int skipped = r.skipped().values().stream().mapToInt(Integer::intValue).sum();
            int setup = r.setup().values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(t.records().size(), r.replayedCount() + skipped + setup, r.summary());
            assertTrue(OracleReplay.OUT_OF_SCOPE.containsAll(r.skipped().keySet()), r.summary());
            assertTrue(r.replayed().keySet().containsAll(List.of("region_info", "pread", "pwrite", "mmap")),
                    r.summary());
        }
    }

    /**
     * Region offsets are not ABI: with every offset moved (what a later stage's layout may do),
     * the replay reaches the same regions and finds the same differences.
     */
    @Test
    void differencesDoNotDependOnTheLayout() {
        Stage moved = new RelocatingStage(stage, 0x7L << 42);
        for (OracleTranscript t : transcripts()) {
            OracleReplay.Result r = OracleReplay.run(moved, t);
            assertEquals(text(result(t).differences()), text(r.differences()), t.device());
        }
    }

    private static String text(List<Difference> ds) {
        return ds.stream().map(Difference::toString).collect(Collectors.joining("\n"));
    }
}
