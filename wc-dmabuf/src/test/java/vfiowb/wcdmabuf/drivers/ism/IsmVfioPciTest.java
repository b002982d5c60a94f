package vfiowb.wcdmabuf.drivers.ism;

import vfiowb.common.stagetests.drivers.ism.IsmVfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class IsmVfioPciTest extends IsmVfioPciTests {
    IsmVfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
