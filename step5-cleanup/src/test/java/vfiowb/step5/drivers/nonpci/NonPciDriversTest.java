package vfiowb.step5.drivers.nonpci;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.step5.Step5Adapter;

class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new Step5Adapter(), RegionInfoCopy.CORE);
    }
}
