package vfiowb.step5.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.step5.Step5Adapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new Step5Adapter());
    }
}
