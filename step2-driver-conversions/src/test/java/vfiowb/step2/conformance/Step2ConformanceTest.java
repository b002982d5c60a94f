package vfiowb.step2.conformance;

import java.util.List;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.step2.DriverRegistry;
import vfiowb.step2.Step2;

/**
 * Stage 2 runs the userspace conformance suite on every catalogue device its drivers bind.
 * Stage 2 has no known deviation.
 */
class Step2ConformanceTest extends StageConformanceTests {
    Step2ConformanceTest() {
        super(new Step2(), DriverRegistry.opsTables().keySet(), List.of());
    }
}
