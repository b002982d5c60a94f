package vfiowb.step3.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.step3.Step3Adapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new Step3Adapter());
    }
}
