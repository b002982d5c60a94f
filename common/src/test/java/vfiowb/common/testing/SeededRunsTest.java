package vfiowb.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SeededRunsTest {

    /** What a sequence with this seed draws first: tells which seed a sequence runs. */
    private static long firstDraw(long seed) {
        return new SplittableRandom(seed).nextLong();
    }

    @Nested
    class Running {
        @Test
        void runsSeedsFromTheBaseForEveryStep() {
            List<Long> draws = new ArrayList<>();
            SeededRuns.Totals t = SeededRuns.of("count", 3, 5).withSeeds(100, null)
                .run(r -> draws.add(r.nextLong()), (s, r, step) -> { });
            assertEquals(new SeededRuns.Totals(3, 15), t);
            assertEquals(List.of(firstDraw(100), firstDraw(101), firstDraw(102)), draws);
        }

        @Test
        void stepsCountFromOne() {
            List<Integer> steps = new ArrayList<>();
            SeededRuns.of("steps", 1, 4).withSeeds(1, null).run(r -> steps, (s, r, k) -> s.add(k));
            assertEquals(List.of(1, 2, 3, 4), steps);
        }

        @Test
        void aReplayRunsOnlyThatSeed() {
            List<Long> draws = new ArrayList<>();
            SeededRuns.Totals t = SeededRuns.of("replay", 50, 3).withSeeds(0, 1002L)
                .run(r -> draws.add(r.nextLong()), (s, r, step) -> { });
            assertEquals(new SeededRuns.Totals(1, 3), t);
            assertEquals(List.of(firstDraw(1002)), draws);
        }
    }

    @Nested
    class Failures {
        @Test
        void messageStartsWithSeedAndStepAndNamesTheReplay() {
            AssertionError e = assertThrows(AssertionError.class, () -> SeededRuns.of("fail", 5, 10)
                .withSeeds(1000, null).run(SplittableRandom::nextLong, (first, r, step) -> {
                    if (first == firstDraw(1002) && step == 7) {
                        throw new AssertionError("expected 1 but was 2");
                    }
                }));
            assertTrue(e.getMessage().startsWith("seed=1002 step=7 "), e.getMessage());
            assertTrue(e.getMessage().contains("expected 1 but was 2"), e.getMessage());
            assertTrue(e.getMessage().contains("-Dvfiowb.seed=1002"), e.getMessage());
        }

        @Test
        void keepsTheOriginalFailureAsTheCause() {
            IllegalStateException boom = new IllegalStateException("boom");
            AssertionError e = assertThrows(AssertionError.class, () -> SeededRuns.of("cause", 1, 5)
                .withSeeds(9, null).run(r -> r, (s, r, step) -> {
                    if (step == 3) {
                        throw boom;
                    }
                }));
            assertTrue(e.getMessage().startsWith("seed=9 step=3 "), e.getMessage());
            assertSame(boom, e.getCause());
        }

        @Test
        void aFailingSetupIsStepZero() {
            AssertionError e = assertThrows(AssertionError.class, () -> SeededRuns.of("setup", 1, 1)
                .withSeeds(9, null).run(r -> {
                    throw new IllegalArgumentException("no");
                }, (s, r, step) -> { }));
            assertTrue(e.getMessage().startsWith("seed=9 step=0 "), e.getMessage());
        }
    }
}
