package vfiowb.step5.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.step5.Step5Adapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new Step5Adapter());
    }
}
