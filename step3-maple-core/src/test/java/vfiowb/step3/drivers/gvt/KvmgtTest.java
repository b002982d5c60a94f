package vfiowb.step3.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.step3.Step3Adapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new Step3Adapter());
    }
}
