package vfiowb.step2.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.step2.Step2Adapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new Step2Adapter());
    }
}
