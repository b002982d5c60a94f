package vfiowb.step1.drivers.fslmc;

import vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests;
import vfiowb.step1.Step1Adapter;

class VfioFslMcTest extends VfioFslMcTests {
    VfioFslMcTest() {
        super(new Step1Adapter());
    }
}
