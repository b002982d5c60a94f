package vfiowb.step3.conformance;

import java.util.List;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.step3.DriverRegistry;
import vfiowb.step3.Step3;

/**
 * Stage 2 runs the userspace conformance suite on every catalogue device its drivers bind.
 * Stage 2 has no known deviation.
 */
class Step3ConformanceTest extends StageConformanceTests {
    Step3ConformanceTest() {
        super(new Step3(), DriverRegistry.opsTables().keySet(), List.of());
    }
}
