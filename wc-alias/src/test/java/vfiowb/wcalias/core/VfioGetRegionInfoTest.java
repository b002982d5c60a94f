package vfiowb.wcalias.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.wcalias.WcAliasAdapter;

/** Stage 2's core requires get_region_info_caps. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new WcAliasAdapter(), WithoutTheOp.EINVAL);
    }
}
