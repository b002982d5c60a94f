package vfiowb.wcalias.drivers.nonpci;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.wcalias.WcAliasAdapter;

class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new WcAliasAdapter(), RegionInfoCopy.CORE);
    }
}
