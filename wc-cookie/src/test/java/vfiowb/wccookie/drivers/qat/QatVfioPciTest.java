package vfiowb.wccookie.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new WcCookieAdapter());
    }
}
