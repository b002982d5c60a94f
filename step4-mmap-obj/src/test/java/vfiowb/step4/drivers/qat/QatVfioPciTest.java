package vfiowb.step4.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.step4.Step4Adapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new Step4Adapter());
    }
}
