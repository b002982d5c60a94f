package vfiowb.step2.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.step2.Step2Adapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class Step2RegionEdgeSweepTest extends RegionEdgeSweepTests {
    Step2RegionEdgeSweepTest() {
        super(new Step2Adapter());
    }
}
