package vfiowb.step5.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.step5.Step5Adapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new Step5Adapter());
    }
}
