package vfiowb.step5;

import vfiowb.common.rules.StageRulesTests;

/** Stage 2 keeps every promise of stages 1 to 2. */
class Step5RulesTest extends StageRulesTests {
    Step5RulesTest() {
        super(new Step5());
    }
}
