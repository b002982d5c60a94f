package vfiowb.step2.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.step2.Step2Adapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new Step2Adapter());
    }
}
