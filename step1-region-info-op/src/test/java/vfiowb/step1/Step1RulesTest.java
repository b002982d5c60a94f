package vfiowb.step1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.rules.RuleEvaluator;
import vfiowb.common.rules.RuleResult;

/** Stage 1 keeps every promise of stages 1 to 1. */
class Step1RulesTest {
    private static final String ROOT = new Step1().packageRoot();

    @TestFactory
    List<DynamicTest> everyCumulativeRuleHolds() {
        return RuleCatalogue.cumulative(1).stream()
                .map(rule -> DynamicTest.dynamicTest(rule.id(), () -> {
                    RuleResult r = RuleEvaluator.evaluate(rule, ROOT);
                    assertTrue(r.passed(), () -> rule.id() + " violated:\n" + r.violations().stream()
                            .map(v -> "  " + v.className() + " " + v.member() + ": " + v.detail())
                            .collect(Collectors.joining("\n")));
                }))
                .collect(Collectors.toList());
    }

    @Test
    void theStageIsWhatItSaysItIs() {
        assertEquals(1, new Step1().number());
        assertEquals("vfiowb.step1", ROOT);
        assertTrue(RuleEvaluator.importStage(ROOT).size() > 10);
    }
}
