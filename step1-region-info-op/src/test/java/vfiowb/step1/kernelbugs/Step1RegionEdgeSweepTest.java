package vfiowb.step1.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.step1.Step1Adapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class Step1RegionEdgeSweepTest extends RegionEdgeSweepTests {
    Step1RegionEdgeSweepTest() {
        super(new Step1Adapter());
    }
}
