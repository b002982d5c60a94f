package vfiowb.wccookie.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.wccookie.WcCookieAdapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new WcCookieAdapter());
    }
}
