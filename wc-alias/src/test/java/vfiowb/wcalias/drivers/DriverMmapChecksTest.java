package vfiowb.wcalias.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.wcalias.WcAliasAdapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new WcAliasAdapter());
    }
}
