package vfiowb.step5.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.step5.Step5Adapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new Step5Adapter());
    }
}
