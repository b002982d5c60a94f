package vfiowb.wcalias.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.wcalias.WcAliasAdapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new WcAliasAdapter());
    }
}
