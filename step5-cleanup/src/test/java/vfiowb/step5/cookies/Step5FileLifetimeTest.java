package vfiowb.step5.cookies;

import vfiowb.common.cookies.FileLifetimeTests;
import vfiowb.step5.Step5;

/** Stage 4 puts every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class Step5FileLifetimeTest extends FileLifetimeTests {
    Step5FileLifetimeTest() {
        super(new Step5(), vfiowb.step5.OpsTablesTestAccess.converted());
    }
}
