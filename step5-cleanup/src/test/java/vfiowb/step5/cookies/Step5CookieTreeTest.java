package vfiowb.step5.cookies;

import vfiowb.common.cookies.CookieTreeTests;
import vfiowb.step5.Step5;

/** Stage 5 keeps every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class Step5CookieTreeTest extends CookieTreeTests {
    Step5CookieTreeTest() {
        super(new Step5(), vfiowb.step5.OpsTablesTestAccess.converted());
    }
}
