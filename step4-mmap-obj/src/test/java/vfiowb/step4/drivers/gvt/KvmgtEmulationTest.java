package vfiowb.step4.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtEmulationTests;
import vfiowb.step4.Step4Adapter;

class KvmgtEmulationTest extends KvmgtEmulationTests {
    KvmgtEmulationTest() {
        super(new Step4Adapter());
    }
}
