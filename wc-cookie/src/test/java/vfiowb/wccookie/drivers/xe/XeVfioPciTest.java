package vfiowb.wccookie.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new WcCookieAdapter());
    }
}
