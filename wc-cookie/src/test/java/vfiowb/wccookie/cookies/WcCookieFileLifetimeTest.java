package vfiowb.wccookie.cookies;

import vfiowb.common.cookies.FileLifetimeTests;
import vfiowb.wccookie.WcCookie;

/** Stage 4 puts every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class WcCookieFileLifetimeTest extends FileLifetimeTests {
    WcCookieFileLifetimeTest() {
        super(new WcCookie(), vfiowb.wccookie.OpsTablesTestAccess.converted());
    }
}
