package vfiowb.wcdmabuf.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new WcDmabufAdapter());
    }
}
