package vfiowb.step4.cookies;

import vfiowb.common.cookies.ConcurrencyStressTests;
import vfiowb.step4.Step4;

class Step4ConcurrencyStressTest extends ConcurrencyStressTests {
    Step4ConcurrencyStressTest() {
        super(new Step4());
    }
}
