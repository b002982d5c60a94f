package vfiowb.step2.drivers.nonpci;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.step2.Step2Adapter;

class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new Step2Adapter(), RegionInfoCopy.CORE);
    }
}
