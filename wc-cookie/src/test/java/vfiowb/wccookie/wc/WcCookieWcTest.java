package vfiowb.wccookie.wc;

import vfiowb.common.wc.WcVariantTests;
import vfiowb.wccookie.WcCookie;

class WcCookieWcTest extends WcVariantTests {
    WcCookieWcTest() {
        super(new WcCookie());
    }
}
