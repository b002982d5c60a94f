package vfiowb.wccookie.cookies;

import vfiowb.common.cookies.CookieTreeTests;
import vfiowb.wccookie.WcCookie;

/** Stage 5 keeps every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class WcCookieCookieTreeTest extends CookieTreeTests {
    WcCookieCookieTreeTest() {
        super(new WcCookie(), vfiowb.wccookie.OpsTablesTestAccess.converted());
    }
}
