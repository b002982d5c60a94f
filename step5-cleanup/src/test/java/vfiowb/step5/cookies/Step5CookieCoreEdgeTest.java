package vfiowb.step5.cookies;

import vfiowb.common.cookies.CookieCoreEdgeTests;
import vfiowb.step5.Step5;

class Step5CookieCoreEdgeTest extends CookieCoreEdgeTests {
    Step5CookieCoreEdgeTest() {
        super(new Step5(), vfiowb.step5.OpsTablesTestAccess.converted());
    }
}
