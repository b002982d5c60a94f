package vfiowb.step5.cookies;

import vfiowb.common.cookies.CookieCoreDebugViewTests;
import vfiowb.step5.Step5;

class Step5CookieCoreDebugViewTest extends CookieCoreDebugViewTests {
    Step5CookieCoreDebugViewTest() {
        super(new Step5());
    }
}
