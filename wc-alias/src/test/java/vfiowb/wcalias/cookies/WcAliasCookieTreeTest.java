package vfiowb.wcalias.cookies;

import vfiowb.common.cookies.CookieTreeTests;
import vfiowb.wcalias.WcAlias;

/** Stage 5 keeps every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class WcAliasCookieTreeTest extends CookieTreeTests {
    WcAliasCookieTreeTest() {
        super(new WcAlias(), vfiowb.wcalias.OpsTablesTestAccess.converted());
    }
}
