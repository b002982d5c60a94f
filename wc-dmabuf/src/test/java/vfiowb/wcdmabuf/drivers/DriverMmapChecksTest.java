package vfiowb.wcdmabuf.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new WcDmabufAdapter());
    }
}
