package vfiowb.wcdmabuf.drivers.hisilicon;

import vfiowb.common.stagetests.drivers.hisilicon.HisiAccVfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class HisiAccVfioPciTest extends HisiAccVfioPciTests {
    HisiAccVfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
