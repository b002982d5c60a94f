package vfiowb.wcdmabuf;

import vfiowb.common.stagetests.VfioPciSmokeTests;

class VfioPciSmokeTest extends VfioPciSmokeTests {
    VfioPciSmokeTest() {
        super(new WcDmabufAdapter());
    }
}
