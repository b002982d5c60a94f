package vfiowb.wccookie.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.wccookie.WcCookieAdapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new WcCookieAdapter());
    }
}
