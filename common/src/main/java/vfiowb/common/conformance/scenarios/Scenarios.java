package vfiowb.common.conformance.scenarios;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue: every scenario the suite runs, in userspace-clients §3 order.
 *
 * <p>Implemented: RI-01/02/04/05/06/07/08, CAP-01/04/07/08, RW-01/02/04/05/06/07/08/10,
 * MM-01/02/03/06/07/08/09/11, MSIX-01/03/04/05, DS-01/02, LG-01/02, FZ-03, DY-01/02.
 */
public final class Scenarios {
    /** FZ-03's iterations unless {@code -Dvfiowb.conformance.fuzz.iterations} says otherwise. */
    public static final int DEFAULT_FUZZ_ITERATIONS = 12;
    /** FZ-03's seed unless {@code -Dvfiowb.conformance.fuzz.seed} says otherwise. */
    public static final long DEFAULT_FUZZ_SEED = 0x5EED_F00DL;

    private Scenarios() {}

    /** Every scenario with the default (or system-property) fuzz settings. */
    public static List<Scenario> all() {
        return all(Integer.getInteger("vfiowb.conformance.fuzz.iterations", DEFAULT_FUZZ_ITERATIONS),
                Long.getLong("vfiowb.conformance.fuzz.seed", DEFAULT_FUZZ_SEED));
    }

    /** Every scenario, FZ-03 with {@code fuzzIterations} pairs from {@code fuzzSeed}. */
    public static List<Scenario> all(int fuzzIterations, long fuzzSeed) {
        List<Scenario> l = new ArrayList<>();
        l.addAll(RegionInfoScenarios.all());
        l.addAll(CapabilityScenarios.all());
        l.addAll(ReadWriteScenarios.all());
        l.addAll(MmapScenarios.all());
        l.addAll(MsixScenarios.all());
        l.addAll(DeviceSpecificScenarios.all());
        l.addAll(LimitScenarios.all());
        l.addAll(FuzzScenarios.all(fuzzIterations, fuzzSeed));
        l.addAll(DynamicScenarios.all());
        return Collections.unmodifiableList(l);
    }

    public static Optional<Scenario> byId(String id) {
        return all().stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
