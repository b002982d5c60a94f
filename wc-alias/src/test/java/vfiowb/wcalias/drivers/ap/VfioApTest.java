package vfiowb.wcalias.drivers.ap;

import vfiowb.common.errno.Errno;
import vfiowb.common.stagetests.drivers.ap.VfioApTests;
import vfiowb.wcalias.WcAliasAdapter;

/** Stage 2: the core requires get_region_info_caps and answers -EINVAL itself. */
class VfioApTest extends VfioApTests {
    VfioApTest() {
        super(new WcAliasAdapter(), Errno.EINVAL);
    }
}
