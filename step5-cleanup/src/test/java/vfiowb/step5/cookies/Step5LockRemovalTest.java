package vfiowb.step5.cookies;

import vfiowb.common.cookies.LockRemovalTests;
import vfiowb.step5.Step5;

class Step5LockRemovalTest extends LockRemovalTests {
    Step5LockRemovalTest() {
        super(new Step5());
    }
}
