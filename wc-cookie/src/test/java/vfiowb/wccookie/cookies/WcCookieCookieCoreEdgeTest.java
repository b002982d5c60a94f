package vfiowb.wccookie.cookies;

import vfiowb.common.cookies.CookieCoreEdgeTests;
import vfiowb.wccookie.WcCookie;

class WcCookieCookieCoreEdgeTest extends CookieCoreEdgeTests {
    WcCookieCookieCoreEdgeTest() {
        super(new WcCookie(), vfiowb.wccookie.OpsTablesTestAccess.converted());
    }
}
