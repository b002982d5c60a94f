package vfiowb.step3.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.step3.Step3Adapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new Step3Adapter());
    }
}
