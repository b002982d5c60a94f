package vfiowb.wcalias.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.wcalias.WcAliasAdapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new WcAliasAdapter());
    }
}
