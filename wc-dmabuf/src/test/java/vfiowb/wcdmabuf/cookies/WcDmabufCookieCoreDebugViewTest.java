package vfiowb.wcdmabuf.cookies;

import vfiowb.common.cookies.CookieCoreDebugViewTests;
import vfiowb.wcdmabuf.WcDmabuf;

class WcDmabufCookieCoreDebugViewTest extends CookieCoreDebugViewTests {
    WcDmabufCookieCoreDebugViewTest() {
        super(new WcDmabuf());
    }
}
