package vfiowb.wccookie.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.wccookie.WcCookieAdapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new WcCookieAdapter());
    }
}
