package vfiowb.step4;

import vfiowb.common.stagetests.FailNthTests;

class FailNthTest extends FailNthTests {
    FailNthTest() {
        super(new Step4());
    }
}
