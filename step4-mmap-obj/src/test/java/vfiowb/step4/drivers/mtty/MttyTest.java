package vfiowb.step4.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.step4.Step4Adapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new Step4Adapter());
    }
}
