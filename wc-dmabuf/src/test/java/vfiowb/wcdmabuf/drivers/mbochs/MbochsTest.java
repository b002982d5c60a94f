package vfiowb.wcdmabuf.drivers.mbochs;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

/** Stage 2: the sample answers REGION_INFO through the core's copy-out. */
class MbochsTest extends MbochsTests {
    MbochsTest() {
        super(new WcDmabufAdapter(), RegionInfoCopy.CORE);
    }
}
