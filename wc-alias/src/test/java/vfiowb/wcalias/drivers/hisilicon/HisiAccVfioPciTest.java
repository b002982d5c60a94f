package vfiowb.wcalias.drivers.hisilicon;

import vfiowb.common.stagetests.drivers.hisilicon.HisiAccVfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class HisiAccVfioPciTest extends HisiAccVfioPciTests {
    HisiAccVfioPciTest() {
        super(new WcAliasAdapter());
    }
}
