package vfiowb.wccookie.drivers.ism;

import vfiowb.common.stagetests.drivers.ism.IsmVfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class IsmVfioPciTest extends IsmVfioPciTests {
    IsmVfioPciTest() {
        super(new WcCookieAdapter());
    }
}
