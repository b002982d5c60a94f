package vfiowb.wccookie.drivers.nonpci;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.wccookie.WcCookieAdapter;

class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new WcCookieAdapter(), RegionInfoCopy.CORE);
    }
}
