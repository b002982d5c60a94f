package vfiowb.step4.drivers.ism;

import vfiowb.common.stagetests.drivers.ism.IsmVfioPciTests;
import vfiowb.step4.Step4Adapter;

class IsmVfioPciTest extends IsmVfioPciTests {
    IsmVfioPciTest() {
        super(new Step4Adapter());
    }
}
