package vfiowb.wcalias.cookies;

import vfiowb.common.cookies.FileLifetimeTests;
import vfiowb.wcalias.WcAlias;

/** Stage 4 puts every converted table on the cookie path (see OpsTablesTest.CONVERTED). */
class WcAliasFileLifetimeTest extends FileLifetimeTests {
    WcAliasFileLifetimeTest() {
        super(new WcAlias(), vfiowb.wcalias.OpsTablesTestAccess.converted());
    }
}
