package vfiowb.wccookie;

import vfiowb.common.stagetests.VfioPciSmokeTests;

class VfioPciSmokeTest extends VfioPciSmokeTests {
    VfioPciSmokeTest() {
        super(new WcCookieAdapter());
    }
}
