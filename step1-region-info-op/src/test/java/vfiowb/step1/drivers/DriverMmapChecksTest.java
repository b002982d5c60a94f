package vfiowb.step1.drivers;

import vfiowb.common.stagetests.drivers.DriverMmapChecksTests;
import vfiowb.step1.Step1Adapter;

class DriverMmapChecksTest extends DriverMmapChecksTests {
    DriverMmapChecksTest() {
        super(new Step1Adapter());
    }
}
