package vfiowb.wccookie.drivers.hisilicon;

import vfiowb.common.stagetests.drivers.hisilicon.HisiAccVfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class HisiAccVfioPciTest extends HisiAccVfioPciTests {
    HisiAccVfioPciTest() {
        super(new WcCookieAdapter());
    }
}
