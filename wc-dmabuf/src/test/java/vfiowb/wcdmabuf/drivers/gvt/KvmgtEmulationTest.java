package vfiowb.wcdmabuf.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtEmulationTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class KvmgtEmulationTest extends KvmgtEmulationTests {
    KvmgtEmulationTest() {
        super(new WcDmabufAdapter());
    }
}
