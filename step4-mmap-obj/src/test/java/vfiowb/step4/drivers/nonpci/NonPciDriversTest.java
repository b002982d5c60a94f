package vfiowb.step4.drivers.nonpci;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.step4.Step4Adapter;

class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new Step4Adapter(), RegionInfoCopy.CORE);
    }
}
