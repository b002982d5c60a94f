package vfiowb.step3;

import vfiowb.common.rules.StageRulesTests;

/** Stage 2 keeps every promise of stages 1 to 2. */
class Step3RulesTest extends StageRulesTests {
    Step3RulesTest() {
        super(new Step3());
    }
}
