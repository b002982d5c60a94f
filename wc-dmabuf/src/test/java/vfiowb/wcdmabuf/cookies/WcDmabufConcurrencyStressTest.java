package vfiowb.wcdmabuf.cookies;

import vfiowb.common.cookies.ConcurrencyStressTests;
import vfiowb.wcdmabuf.WcDmabuf;

class WcDmabufConcurrencyStressTest extends ConcurrencyStressTests {
    WcDmabufConcurrencyStressTest() {
        super(new WcDmabuf());
    }
}
