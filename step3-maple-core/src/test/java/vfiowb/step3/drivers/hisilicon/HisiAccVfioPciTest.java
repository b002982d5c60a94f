package vfiowb.step3.drivers.hisilicon;

import vfiowb.common.stagetests.drivers.hisilicon.HisiAccVfioPciTests;
import vfiowb.step3.Step3Adapter;

class HisiAccVfioPciTest extends HisiAccVfioPciTests {
    HisiAccVfioPciTest() {
        super(new Step3Adapter());
    }
}
