package vfiowb.step2.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.step2.Step2Adapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new Step2Adapter());
    }
}
