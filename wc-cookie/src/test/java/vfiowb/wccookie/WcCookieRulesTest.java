package vfiowb.wccookie;

import vfiowb.common.rules.StageRulesTests;

/** Stage 2 keeps every promise of stages 1 to 2. */
class WcCookieRulesTest extends StageRulesTests {
    WcCookieRulesTest() {
        super(new WcCookie());
    }
}
