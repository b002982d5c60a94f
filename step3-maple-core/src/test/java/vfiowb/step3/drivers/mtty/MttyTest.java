package vfiowb.step3.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.step3.Step3Adapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new Step3Adapter());
    }
}
