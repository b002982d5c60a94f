package vfiowb.step3.drivers.pds;

import vfiowb.common.stagetests.drivers.pds.PdsVfioPciTests;
import vfiowb.step3.Step3Adapter;

class PdsVfioPciTest extends PdsVfioPciTests {
    PdsVfioPciTest() {
        super(new Step3Adapter());
    }
}
