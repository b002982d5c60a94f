package vfiowb.step3.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtEmulationTests;
import vfiowb.step3.Step3Adapter;

class KvmgtEmulationTest extends KvmgtEmulationTests {
    KvmgtEmulationTest() {
        super(new Step3Adapter());
    }
}
