package vfiowb.wccookie.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtEmulationTests;
import vfiowb.wccookie.WcCookieAdapter;

class KvmgtEmulationTest extends KvmgtEmulationTests {
    KvmgtEmulationTest() {
        super(new WcCookieAdapter());
    }
}
