package vfiowb.wcdmabuf;

import vfiowb.common.stagetests.FailNthTests;

class FailNthTest extends FailNthTests {
    FailNthTest() {
        super(new WcDmabuf());
    }
}
