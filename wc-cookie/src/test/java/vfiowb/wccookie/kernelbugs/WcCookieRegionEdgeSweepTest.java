package vfiowb.wccookie.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.wccookie.WcCookieAdapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class WcCookieRegionEdgeSweepTest extends RegionEdgeSweepTests {
    WcCookieRegionEdgeSweepTest() {
        super(new WcCookieAdapter());
    }
}
