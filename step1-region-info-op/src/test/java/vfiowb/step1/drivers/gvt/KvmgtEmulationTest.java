package vfiowb.step1.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtEmulationTests;
import vfiowb.step1.Step1Adapter;

class KvmgtEmulationTest extends KvmgtEmulationTests {
    KvmgtEmulationTest() {
        super(new Step1Adapter());
    }
}
