package vfiowb.step2;

import vfiowb.common.rules.StageRulesTests;

/** Stage 2 keeps every promise of stages 1 to 2. */
class Step2RulesTest extends StageRulesTests {
    Step2RulesTest() {
        super(new Step2());
    }
}
