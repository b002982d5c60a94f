package vfiowb.wcalias.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.wcalias.WcAliasAdapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new WcAliasAdapter());
    }
}
