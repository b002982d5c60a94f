package vfiowb.wcdmabuf.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new WcDmabufAdapter());
    }
}
