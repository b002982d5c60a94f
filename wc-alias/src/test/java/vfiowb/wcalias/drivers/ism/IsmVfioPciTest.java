package vfiowb.wcalias.drivers.ism;

import vfiowb.common.stagetests.drivers.ism.IsmVfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class IsmVfioPciTest extends IsmVfioPciTests {
    IsmVfioPciTest() {
        super(new WcAliasAdapter());
    }
}
