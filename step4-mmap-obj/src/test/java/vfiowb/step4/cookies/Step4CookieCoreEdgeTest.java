package vfiowb.step4.cookies;

import vfiowb.common.cookies.CookieCoreEdgeTests;
import vfiowb.step4.Step4;

class Step4CookieCoreEdgeTest extends CookieCoreEdgeTests {
    Step4CookieCoreEdgeTest() {
        super(new Step4(), vfiowb.step4.OpsTablesTestAccess.converted());
    }
}
