package vfiowb.wcalias.wc;

import vfiowb.common.wc.WcVariantTests;
import vfiowb.wcalias.WcAlias;

class WcAliasWcTest extends WcVariantTests {
    WcAliasWcTest() {
        super(new WcAlias());
    }
}
