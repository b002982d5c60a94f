package vfiowb.step4.drivers.pds;

import vfiowb.common.stagetests.drivers.pds.PdsVfioPciTests;
import vfiowb.step4.Step4Adapter;

class PdsVfioPciTest extends PdsVfioPciTests {
    PdsVfioPciTest() {
        super(new Step4Adapter());
    }
}
