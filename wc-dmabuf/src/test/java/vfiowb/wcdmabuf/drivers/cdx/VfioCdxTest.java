package vfiowb.wcdmabuf.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new WcDmabufAdapter());
    }
}
