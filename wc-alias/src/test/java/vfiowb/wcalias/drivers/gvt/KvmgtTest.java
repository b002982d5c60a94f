package vfiowb.wcalias.drivers.gvt;

import vfiowb.common.stagetests.drivers.gvt.KvmgtTests;
import vfiowb.wcalias.WcAliasAdapter;

class KvmgtTest extends KvmgtTests {
    KvmgtTest() {
        super(new WcAliasAdapter());
    }
}
