package vfiowb.step2.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.step2.Step2Adapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new Step2Adapter());
    }
}
