package vfiowb.step3.drivers.nonpci;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.step3.Step3Adapter;

class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new Step3Adapter(), RegionInfoCopy.CORE);
    }
}
