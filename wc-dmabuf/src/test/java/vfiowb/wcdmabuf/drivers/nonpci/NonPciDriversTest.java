package vfiowb.wcdmabuf.drivers.nonpci;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new WcDmabufAdapter(), RegionInfoCopy.CORE);
    }
}
