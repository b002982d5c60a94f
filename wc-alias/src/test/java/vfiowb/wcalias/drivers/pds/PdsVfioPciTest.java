package vfiowb.wcalias.drivers.pds;

import vfiowb.common.stagetests.drivers.pds.PdsVfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class PdsVfioPciTest extends PdsVfioPciTests {
    PdsVfioPciTest() {
        super(new WcAliasAdapter());
    }
}
