package vfiowb.wcdmabuf.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new WcDmabufAdapter());
    }
}
