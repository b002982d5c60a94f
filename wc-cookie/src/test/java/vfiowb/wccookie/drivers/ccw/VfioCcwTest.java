package vfiowb.wccookie.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.wccookie.WcCookieAdapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new WcCookieAdapter());
    }
}
