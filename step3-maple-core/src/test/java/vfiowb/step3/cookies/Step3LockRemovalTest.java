package vfiowb.step3.cookies;

import vfiowb.common.cookies.LockRemovalTests;
import vfiowb.step3.Step3;

class Step3LockRemovalTest extends LockRemovalTests {
    Step3LockRemovalTest() {
        super(new Step3());
    }
}
