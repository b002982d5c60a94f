package vfiowb.step3.cookies;

import vfiowb.common.cookies.ConcurrencyStressTests;
import vfiowb.step3.Step3;

class Step3ConcurrencyStressTest extends ConcurrencyStressTests {
    Step3ConcurrencyStressTest() {
        super(new Step3());
    }
}
