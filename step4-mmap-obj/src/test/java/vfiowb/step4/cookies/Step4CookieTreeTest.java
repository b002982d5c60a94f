package vfiowb.step4.cookies;

import vfiowb.common.cookies.CookieTreeTests;
import vfiowb.step4.Step4;

/** Stage 4 puts every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class Step4CookieTreeTest extends CookieTreeTests {
    Step4CookieTreeTest() {
        super(new Step4(), vfiowb.step4.OpsTablesTestAccess.converted());
    }
}
