package vfiowb.wcdmabuf.cookies;

import vfiowb.common.cookies.CookieCoreEdgeTests;
import vfiowb.wcdmabuf.WcDmabuf;

class WcDmabufCookieCoreEdgeTest extends CookieCoreEdgeTests {
    WcDmabufCookieCoreEdgeTest() {
        super(new WcDmabuf(), vfiowb.wcdmabuf.OpsTablesTestAccess.converted());
    }
}
