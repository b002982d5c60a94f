package vfiowb.wcdmabuf.drivers.xe;

import vfiowb.common.stagetests.drivers.xe.XeVfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class XeVfioPciTest extends XeVfioPciTests {
    XeVfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
