package vfiowb.step3.drivers.ism;

import vfiowb.common.stagetests.drivers.ism.IsmVfioPciTests;
import vfiowb.step3.Step3Adapter;

class IsmVfioPciTest extends IsmVfioPciTests {
    IsmVfioPciTest() {
        super(new Step3Adapter());
    }
}
