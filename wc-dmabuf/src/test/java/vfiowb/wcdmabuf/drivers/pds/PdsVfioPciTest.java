package vfiowb.wcdmabuf.drivers.pds;

import vfiowb.common.stagetests.drivers.pds.PdsVfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class PdsVfioPciTest extends PdsVfioPciTests {
    PdsVfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
