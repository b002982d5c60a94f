package vfiowb.step5.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.step5.Step5Adapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class Step5RegionEdgeSweepTest extends RegionEdgeSweepTests {
    Step5RegionEdgeSweepTest() {
        super(new Step5Adapter());
    }
}
