package vfiowb.step2.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.step2.Step2Adapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new Step2Adapter());
    }
}
