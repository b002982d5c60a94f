package vfiowb.step1;

import vfiowb.common.rules.StageRulesTests;

/** Stage 1 keeps every promise of stages 1 to 1. */
class Step1RulesTest extends StageRulesTests {
    Step1RulesTest() {
        super(new Step1());
    }
}
