package vfiowb.wcdmabuf.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new WcDmabufAdapter());
    }
}
