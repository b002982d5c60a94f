package vfiowb.step4.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.step4.Step4Adapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new Step4Adapter());
    }
}
