package vfiowb.step5.cookies;

import vfiowb.common.cookies.ConcurrencyStressTests;
import vfiowb.step5.Step5;

class Step5ConcurrencyStressTest extends ConcurrencyStressTests {
    Step5ConcurrencyStressTest() {
        super(new Step5());
    }
}
