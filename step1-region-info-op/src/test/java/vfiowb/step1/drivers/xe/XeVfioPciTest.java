package vfiowb.step1.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.step1.Step1Adapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new Step1Adapter());
    }
}
