package vfiowb.wccookie.cookies;

import vfiowb.common.cookies.CookieCoreDebugViewTests;
import vfiowb.wccookie.WcCookie;

class WcCookieCookieCoreDebugViewTest extends CookieCoreDebugViewTests {
    WcCookieCookieCoreDebugViewTest() {
        super(new WcCookie());
    }
}
