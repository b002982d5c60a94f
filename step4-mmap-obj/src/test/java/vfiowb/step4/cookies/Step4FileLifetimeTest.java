package vfiowb.step4.cookies;

import vfiowb.common.cookies.FileLifetimeTests;
import vfiowb.step4.Step4;

/** Stage 4 puts every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class Step4FileLifetimeTest extends FileLifetimeTests {
    Step4FileLifetimeTest() {
        super(new Step4(), vfiowb.step4.OpsTablesTestAccess.converted());
    }
}
