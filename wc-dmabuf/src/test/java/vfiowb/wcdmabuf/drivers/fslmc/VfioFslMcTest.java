package vfiowb.wcdmabuf.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new WcDmabufAdapter());
    }
}
