package vfiowb.step3.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.step3.Step3Adapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new Step3Adapter());
    }
}
