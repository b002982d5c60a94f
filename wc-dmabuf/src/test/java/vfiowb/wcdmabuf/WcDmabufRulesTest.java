package vfiowb.wcdmabuf;

import vfiowb.common.rules.StageRulesTests;

/** Stage 2 keeps every promise of stages 1 to 2. */
class WcDmabufRulesTest extends StageRulesTests {
    WcDmabufRulesTest() {
        super(new WcDmabuf());
    }
}
