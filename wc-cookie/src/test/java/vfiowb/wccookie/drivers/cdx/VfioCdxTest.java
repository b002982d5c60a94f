package vfiowb.wccookie.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.wccookie.WcCookieAdapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new WcCookieAdapter());
    }
}
