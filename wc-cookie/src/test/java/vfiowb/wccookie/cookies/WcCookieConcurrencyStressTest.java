package vfiowb.wccookie.cookies;

import vfiowb.common.cookies.ConcurrencyStressTests;
import vfiowb.wccookie.WcCookie;

class WcCookieConcurrencyStressTest extends ConcurrencyStressTests {
    WcCookieConcurrencyStressTest() {
        super(new WcCookie());
    }
}
