package vfiowb.wcalias.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.wcalias.WcAliasAdapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new WcAliasAdapter());
    }
}
