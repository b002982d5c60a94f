package vfiowb.step1.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.step1.Step1Adapter;

/** Stage 1 keeps the transitional fallback to a driver's own ioctl. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new Step1Adapter(), WithoutTheOp.DRIVER_IOCTL);
    }
}
