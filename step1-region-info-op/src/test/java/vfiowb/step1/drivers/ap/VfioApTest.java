package vfiowb.step1.drivers.ap;

import vfiowb.common.errno.Errno;
import vfiowb.common.stagetests.drivers.ap.VfioApTests;
import vfiowb.step1.Step1Adapter;

/**
 * Stage 1: the core's transitional fallback hands REGION_INFO to vfio_ap_mdev_ioctl, whose
 * default case answers -EOPNOTSUPP.
 */
class VfioApTest extends VfioApTests {
    VfioApTest() {
        super(new Step1Adapter(), Errno.EOPNOTSUPP);
    }
}
