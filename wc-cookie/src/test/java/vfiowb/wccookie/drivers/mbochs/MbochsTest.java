package vfiowb.wccookie.drivers.mbochs;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests;
import vfiowb.wccookie.WcCookieAdapter;

/** Stage 2: the sample answers REGION_INFO through the core's copy-out. */
class MbochsTest extends MbochsTests {
    MbochsTest() {
        super(new WcCookieAdapter(), RegionInfoCopy.CORE);
    }
}
