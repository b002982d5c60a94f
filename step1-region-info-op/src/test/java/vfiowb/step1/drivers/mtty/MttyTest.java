package vfiowb.step1.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.step1.Step1Adapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new Step1Adapter());
    }
}
