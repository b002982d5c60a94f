package vfiowb.step4.drivers.hisilicon;

import vfiowb.common.stagetests.drivers.hisilicon.HisiAccVfioPciTests;
import vfiowb.step4.Step4Adapter;

class HisiAccVfioPciTest extends HisiAccVfioPciTests {
    HisiAccVfioPciTest() {
        super(new Step4Adapter());
    }
}
