package vfiowb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fuzzer and serve benchmarks run what they claim to: one invocation each, outside JMH, so
 * a change that breaks a harness fails {@code mvn verify} rather than the next measurement. No
 * timing here.
 */
class HarnessesWorkTest {
    @ParameterizedTest
    @CsvSource({"1, ioctl", "4, ioctl", "4, all"})
    void aFuzzerSeedRunsItsOperationsWithoutAViolation(int stage, String mix) {
        FuzzerBench b = new FuzzerBench();
        b.stage = stage;
        b.mix = mix;
        b.device = "nic-vf";
        b.setUp();
        assertTrue(b.seed() >= FuzzerBench.OPS, "at least one recorded call per operation");
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-info", "load", "store"})
    void serveAnswersEachRequestOneAtATimeAndPipelined(String request) throws Exception {
        ServeBench b = new ServeBench();
        b.request = request;
        b.stage = "4";
        b.start();
        try {
            assertTrue(b.oneAtATime() > 0);
            int total = b.pipelined();
            assertEquals(0, total % ServeBench.DEPTH, "the same reply every time");
            assertTrue(total > 0);
        } finally {
            b.stop();
        }
    }
}
