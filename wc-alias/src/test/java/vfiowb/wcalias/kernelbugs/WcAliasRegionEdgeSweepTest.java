package vfiowb.wcalias.kernelbugs;

import vfiowb.common.kernelbugs.RegionEdgeSweepTests;
import vfiowb.wcalias.WcAliasAdapter;

/** The stage at every region edge: no model bug, only the known kernel bugs. */
class WcAliasRegionEdgeSweepTest extends RegionEdgeSweepTests {
    WcAliasRegionEdgeSweepTest() {
        super(new WcAliasAdapter());
    }
}
