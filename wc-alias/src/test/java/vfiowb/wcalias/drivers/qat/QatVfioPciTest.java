package vfiowb.wcalias.drivers.qat;

import vfiowb.common.stagetests.drivers.qat.QatVfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class QatVfioPciTest extends QatVfioPciTests {
    QatVfioPciTest() {
        super(new WcAliasAdapter());
    }
}
