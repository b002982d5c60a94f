package vfiowb.step3.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.step3.Step3Adapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class Step3RegionEdgeSweepTest extends RegionEdgeSweepTests {
    Step3RegionEdgeSweepTest() {
        super(new Step3Adapter());
    }
}
