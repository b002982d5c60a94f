package vfiowb.wcalias.cookies;

import vfiowb.common.cookies.ConcurrencyStressTests;
import vfiowb.wcalias.WcAlias;

class WcAliasConcurrencyStressTest extends ConcurrencyStressTests {
    WcAliasConcurrencyStressTest() {
        super(new WcAlias());
    }
}
