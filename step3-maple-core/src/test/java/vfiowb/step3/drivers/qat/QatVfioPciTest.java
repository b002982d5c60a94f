package vfiowb.step3.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.step3.Step3Adapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new Step3Adapter());
    }
}
