package vfiowb.wcdmabuf.cookies;

import vfiowb.common.cookies.CookieTreeTests;
import vfiowb.wcdmabuf.WcDmabuf;

/** Stage 5 keeps every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class WcDmabufCookieTreeTest extends CookieTreeTests {
    WcDmabufCookieTreeTest() {
        super(new WcDmabuf(), vfiowb.wcdmabuf.OpsTablesTestAccess.converted());
    }
}
