package vfiowb.wcalias.cookies;

import vfiowb.common.cookies.CookieCoreEdgeTests;
import vfiowb.wcalias.WcAlias;

class WcAliasCookieCoreEdgeTest extends CookieCoreEdgeTests {
    WcAliasCookieCoreEdgeTest() {
        super(new WcAlias(), vfiowb.wcalias.OpsTablesTestAccess.converted());
    }
}
