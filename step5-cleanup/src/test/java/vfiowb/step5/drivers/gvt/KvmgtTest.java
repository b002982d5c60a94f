package vfiowb.step5.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.step5.Step5Adapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new Step5Adapter());
    }
}
