package vfiowb.step4.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.step4.Step4Adapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new Step4Adapter());
    }
}
