package vfiowb.step3;

import vfiowb.common.stagetests.VfioPciSmokeTests;

class VfioPciSmokeTest extends VfioPciSmokeTests {
    VfioPciSmokeTest() {
        super(new Step3Adapter());
    }
}
