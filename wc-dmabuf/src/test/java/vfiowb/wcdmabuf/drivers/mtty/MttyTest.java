package vfiowb.wcdmabuf.drivers.mtty;

import vfiowb.common.stagetests.drivers.mtty.MttyTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class MttyTest extends MttyTests {
    MttyTest() {
        super(new WcDmabufAdapter());
    }
}
