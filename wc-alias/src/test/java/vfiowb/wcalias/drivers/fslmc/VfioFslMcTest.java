package vfiowb.wcalias.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.wcalias.WcAliasAdapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new WcAliasAdapter());
    }
}
