package vfiowb.step4.conformance;

import java.util.List;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.step4.DriverRegistry;
import vfiowb.step4.Step4;

/**
 * Stage 4 runs the userspace conformance suite on every catalogue device its drivers bind. The
 * one thing it changes on purpose for the table on the cookie path, an mmap no cookie covers
 * answering -ENXIO, is part of the suite's contract for such files; there is no known deviation.
 */
class Step4ConformanceTest extends StageConformanceTests {
    Step4ConformanceTest() {
        super(new Step4(), DriverRegistry.opsTables().keySet(), List.of());
    }
}
