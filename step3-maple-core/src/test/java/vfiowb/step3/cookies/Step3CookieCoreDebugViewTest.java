package vfiowb.step3.cookies;

import vfiowb.common.cookies.CookieCoreDebugViewTests;
import vfiowb.step3.Step3;

class Step3CookieCoreDebugViewTest extends CookieCoreDebugViewTests {
    Step3CookieCoreDebugViewTest() {
        super(new Step3());
    }
}
