package vfiowb.wcalias.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.wcalias.WcAliasAdapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new WcAliasAdapter());
    }
}
