package vfiowb.common.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import vfiowb.common.stage.Stage;

/**
 * A stage keeps every promise of stages 1 to its own: each stage module subclasses this with
 * its stage. The rules' teeth (each failing on the stage before) are shown in the workbench.
 */
public abstract class StageRulesTests {
    private final Stage stage;

    protected StageRulesTests(Stage stage) {
        this.stage = stage;
    }

    @TestFactory
    List<DynamicTest> everyCumulativeRuleHolds() {
        return RuleCatalogue.cumulative(stage.number()).stream()
                .map(rule -> DynamicTest.dynamicTest(rule.id(), () -> {
                    RuleResult r = RuleEvaluator.evaluate(rule, stage.packageRoot());
                    assertTrue(r.passed(), () -> rule.id() + " violated:\n" + r.violations()
                            .stream()
                            .map(v -> "  " + v.className() + " " + v.member() + ": " + v.detail())
                            .collect(Collectors.joining("\n")));
                }))
                .collect(Collectors.toList());
    }

    @Test
    void theStageIsWhatItSaysItIs() {
        assertEquals(stage.variant() == null ? "vfiowb.step" + stage.number()
                : "vfiowb." + stage.variant().replace("-", ""), stage.packageRoot());
        assertTrue(RuleEvaluator.importStage(stage.packageRoot()).size() > 10);
    }
}
