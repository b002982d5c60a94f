package vfiowb.step4.cookies;

import vfiowb.common.cookies.CookieCoreDebugViewTests;
import vfiowb.step4.Step4;

class Step4CookieCoreDebugViewTest extends CookieCoreDebugViewTests {
    Step4CookieCoreDebugViewTest() {
        super(new Step4());
    }
}
