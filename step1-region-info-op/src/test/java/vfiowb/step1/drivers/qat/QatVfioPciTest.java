package vfiowb.step1.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.step1.Step1Adapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new Step1Adapter());
    }
}
