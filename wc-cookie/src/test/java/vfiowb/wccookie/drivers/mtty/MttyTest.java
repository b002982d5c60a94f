package vfiowb.wccookie.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.wccookie.WcCookieAdapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new WcCookieAdapter());
    }
}
