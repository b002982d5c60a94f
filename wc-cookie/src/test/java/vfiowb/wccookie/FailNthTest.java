package vfiowb.wccookie;

import vfiowb.common.stagetests.FailNthTests;

class FailNthTest extends FailNthTests {
    FailNthTest() {
        super(new WcCookie());
    }
}
