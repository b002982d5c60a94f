package vfiowb.step1.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.step1.Step1Adapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new Step1Adapter());
    }
}
