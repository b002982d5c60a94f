package vfiowb.step4.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.step4.Step4Adapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class Step4RegionEdgeSweepTest extends RegionEdgeSweepTests {
    Step4RegionEdgeSweepTest() {
        super(new Step4Adapter());
    }
}
