package vfiowb.step5;

import vfiowb.common.stagetests.FailNthTests;

class FailNthTest extends FailNthTests {
    FailNthTest() {
        super(new Step5());
    }
}
