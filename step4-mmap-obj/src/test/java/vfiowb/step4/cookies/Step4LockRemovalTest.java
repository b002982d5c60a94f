package vfiowb.step4.cookies;

import vfiowb.common.cookies.LockRemovalTests;
import vfiowb.step4.Step4;

class Step4LockRemovalTest extends LockRemovalTests {
    Step4LockRemovalTest() {
        super(new Step4());
    }
}
