package vfiowb.step2.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.step2.Step2Adapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new Step2Adapter());
    }
}
