package vfiowb.wcalias.cookies;

import vfiowb.common.cookies.CookieCoreDebugViewTests;
import vfiowb.wcalias.WcAlias;

class WcAliasCookieCoreDebugViewTest extends CookieCoreDebugViewTests {
    WcAliasCookieCoreDebugViewTest() {
        super(new WcAlias());
    }
}
