package vfiowb.wccookie.drivers.pds;

import vfiowb.common.stagetests.drivers.pds.PdsVfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class PdsVfioPciTest extends PdsVfioPciTests {
    PdsVfioPciTest() {
        super(new WcCookieAdapter());
    }
}
