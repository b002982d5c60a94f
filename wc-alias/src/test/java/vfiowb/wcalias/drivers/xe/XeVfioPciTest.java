package vfiowb.wcalias.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new WcAliasAdapter());
    }
}
