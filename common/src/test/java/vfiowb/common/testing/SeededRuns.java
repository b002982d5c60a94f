package vfiowb.common.testing;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Runs seeded random action sequences under JUnit and makes every failure replayable.
 *
 * <p>A run is {@code seeds} sequences of {@code steps} steps. Sequence {@code i} uses seed
 * {@code baseSeed + i} and a {@link SplittableRandom} made from it, so a seed alone determines
 * everything the sequence does. Any exception or assertion failure inside a sequence is rethrown
 * as an {@link AssertionError} whose message starts with {@code "seed=<n> step=<k>"} ({@code k}
 * counts from 1; 0 means the sequence failed while setting up its state), with the original
 * failure as its cause.
 *
 * <p>System properties, for replays and long fuzz runs (Surefire passes {@code -D} from the Maven
 * command line to the tests):
 * <ul>
 *   <li>{@code -Dvfiowb.seed=<n>}: run only seed {@code n} (replay a failure);</li>
 *   <li>{@code -Dvfiowb.seeds=<n>}: run {@code n} seeds instead of the test's default;</li>
 *   <li>{@code -Dvfiowb.steps=<n>}: run {@code n} steps per seed instead of the default;</li>
 *   <li>{@code -Dvfiowb.scale=<x>}: multiply the default number of seeds by {@code x};</li>
 *   <li>{@code -Dvfiowb.baseSeed=<n>}: start from another base seed.</li>
 * </ul>
 */
public final class SeededRuns {
    public static final String SEED_PROPERTY = "vfiowb.seed";
    public static final String SEEDS_PROPERTY = "vfiowb.seeds";
    public static final String STEPS_PROPERTY = "vfiowb.steps";
    public static final String SCALE_PROPERTY = "vfiowb.scale";
    public static final String BASE_SEED_PROPERTY = "vfiowb.baseSeed";

    /** Makes the state of one sequence from its random source. */
    @FunctionalInterface
    public interface Setup<S> {
        S start(SplittableRandom random) throws Exception;
    }

    /** One step of a sequence; {@code step} counts from 1. */
    @FunctionalInterface
    public interface Step<S> {
        void apply(S state, SplittableRandom random, int step) throws Exception;
    }

    /**
     * What a run did.
     *
     * @param seeds the number of sequences run
     * @param steps the total number of steps over all of them
     */
    public record Totals(int seeds, long steps) {}

    private final String name;
    private final int seeds;
    private final int steps;
    private final long baseSeed;
    private final Long onlySeed;

    private SeededRuns(String name, int seeds, int steps, long baseSeed, Long onlySeed) {
        this.name = name;
        this.seeds = seeds;
        this.steps = steps;
        this.baseSeed = baseSeed;
        this.onlySeed = onlySeed;
    }

    /**
     * A run named {@code name} with default {@code seeds} and {@code steps}, both overridable by
     * the system properties. The default base seed is derived from the name, so different tests
     * explore different sequences and a given test always the same ones.
     */
    public static SeededRuns of(String name, int seeds, int steps) {
        Objects.requireNonNull(name, "name");
        if (seeds < 1 || steps < 1) {
            throw new IllegalArgumentException("seeds and steps must be positive");
        }
        double scale = doubleProperty(SCALE_PROPERTY, 1.0);
        int n = intProperty(SEEDS_PROPERTY, (int) Math.max(1, Math.round(seeds * scale)));
        int k = intProperty(STEPS_PROPERTY, steps);
        long base = longProperty(BASE_SEED_PROPERTY, 0x5EED_0000L + (name.hashCode() & 0xFFFFL) * 1000);
        String only = System.getProperty(SEED_PROPERTY);
        return new SeededRuns(name, n, k, base, only == null || only.isBlank() ? null
            : Long.parseLong(only.trim()));
    }

    /** The same run with an explicit base seed and single-seed replay (for tests of the harness). */
    public SeededRuns withSeeds(long newBase, Long replay) {
        return new SeededRuns(name, seeds, steps, newBase, replay);
    }

    public int seeds() {
        return onlySeed != null ? 1 : seeds;
    }

    public int steps() {
        return steps;
    }

    /**
     * Runs every sequence. Returns the totals; throws an {@link AssertionError} starting with
     * {@code "seed=<n> step=<k>"} on the first failure.
     */
    public <S> Totals run(Setup<S> setup, Step<S> step) {
        long total = 0;
        int count = seeds();
        for (int i = 0; i < count; i++) {
            long seed = onlySeed != null ? onlySeed : baseSeed + i;
            total += runOne(seed, setup, step);
        }
        return new Totals(count, total);
    }

    private <S> long runOne(long seed, Setup<S> setup, Step<S> step) {
        SplittableRandom random = new SplittableRandom(seed);
        int k = 0;
        try {
            S state = setup.start(random);
            for (k = 1; k <= steps; k++) {
                step.apply(state, random, k);
            }
            return steps;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
            AssertionError e = new AssertionError("seed=" + seed + " step=" + k + " [" + name
                + "] " + t + "  (replay: -D" + SEED_PROPERTY + "=" + seed + ")", t);
            throw e;
        }
    }

    private static int intProperty(String key, int dflt) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }

    private static long longProperty(String key, long dflt) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
    }

    private static double doubleProperty(String key, double dflt) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? dflt : Double.parseDouble(v.trim());
    }
}
