package vfiowb.wccookie.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.wccookie.WcCookieAdapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new WcCookieAdapter());
    }
}
