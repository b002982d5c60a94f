package vfiowb.step1.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.step1.DriverRegistry;
import vfiowb.step1.Step1;

/** Stage 1 at every region edge: no model bug, only the known kernel bugs. */
class Step1RegionEdgeSweepTest extends RegionEdgeSweepTests {
    Step1RegionEdgeSweepTest() {
        super(new Step1(), DriverRegistry.opsTables().keySet());
    }
}
