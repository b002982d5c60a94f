package vfiowb.wcdmabuf.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class WcDmabufRegionEdgeSweepTest extends RegionEdgeSweepTests {
    WcDmabufRegionEdgeSweepTest() {
        super(new WcDmabufAdapter());
    }
}
