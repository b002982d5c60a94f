package vfiowb.step4.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.step4.Step4Adapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new Step4Adapter());
    }
}
