package vfiowb.wcalias;

import vfiowb.common.stagetests.FailNthTests;

class FailNthTest extends FailNthTests {
    FailNthTest() {
        super(new WcAlias());
    }
}
