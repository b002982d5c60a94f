package vfiowb.step4;

import vfiowb.common.stagetests.VfioPciSmokeTests;

class VfioPciSmokeTest extends VfioPciSmokeTests {
    VfioPciSmokeTest() {
        super(new Step4Adapter());
    }
}
