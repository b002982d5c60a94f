package vfiowb.step4.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.step4.Step4Adapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new Step4Adapter());
    }
}
