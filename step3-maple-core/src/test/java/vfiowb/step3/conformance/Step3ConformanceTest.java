package vfiowb.step3.conformance;

import java.util.List;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.step3.DriverRegistry;
import vfiowb.step3.Step3;

/**
 * Stage 3 runs the userspace conformance suite on every catalogue device its drivers bind. The
 * one thing it changes on purpose for the table on the cookie path, an mmap no cookie covers
 * answering -ENXIO, is part of the suite's contract for such files; there is no known deviation.
 */
class Step3ConformanceTest extends StageConformanceTests {
    Step3ConformanceTest() {
        super(new Step3(), DriverRegistry.opsTables().keySet(), List.of());
    }
}
