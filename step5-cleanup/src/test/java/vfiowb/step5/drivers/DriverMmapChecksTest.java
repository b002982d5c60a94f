package vfiowb.step5.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.step5.Step5Adapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new Step5Adapter());
    }
}
