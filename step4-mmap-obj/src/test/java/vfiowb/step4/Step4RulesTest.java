package vfiowb.step4;

import vfiowb.common.rules.StageRulesTests;

/** Stage 2 keeps every promise of stages 1 to 2. */
class Step4RulesTest extends StageRulesTests {
    Step4RulesTest() {
        super(new Step4());
    }
}
