package vfiowb.wcdmabuf.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
