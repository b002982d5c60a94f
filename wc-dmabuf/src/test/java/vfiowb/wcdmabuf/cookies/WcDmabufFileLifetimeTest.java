package vfiowb.wcdmabuf.cookies;

import vfiowb.common.cookies.FileLifetimeTests;
import vfiowb.wcdmabuf.WcDmabuf;

/** Stage 4 puts every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class WcDmabufFileLifetimeTest extends FileLifetimeTests {
    WcDmabufFileLifetimeTest() {
        super(new WcDmabuf(), vfiowb.wcdmabuf.OpsTablesTestAccess.converted());
    }
}
