package vfiowb.wccookie.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.wccookie.WcCookieAdapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new WcCookieAdapter());
    }
}
