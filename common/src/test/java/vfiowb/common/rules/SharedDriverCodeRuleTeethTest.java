package vfiowb.common.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code shared-driver-code-layout-free} on fixtures: pointed at a package of shared driver
 * code, it catches a vm_pgoff shift, the 40-bit layout's shift and mask, and a REGION_INFO
 * answer, each by the method that does it; it leaves register offsets and page shifts of
 * addresses alone; and it fails, rather than passing, when the package holds no class. On the
 * real {@code common.gvt} it runs in every stage's rules test, through
 * {@link RuleEvaluator#importStage}.
 */
class SharedDriverCodeRuleTeethTest {
    private static final String FIXTURES = "vfiowb.rulefixture.shared";

    private static RuleResult evaluate(String pkg, JavaClasses classes) {
        StageRule onFixture = new StageRule(RuleCatalogue.byId("shared-driver-code-layout-free").id(),
                1, "fixture", root -> RuleCatalogue.sharedDriverCode(List.of(pkg)));
        return RuleEvaluator.evaluate(onFixture, pkg, classes);
    }

    private static RuleResult evaluate(String pkg) {
        return evaluate(pkg, new ClassFileImporter().importPackages(pkg));
    }

    @Test
    void catchesPgoffLayoutArithmeticAndRegionInfo() {
        RuleResult r = evaluate(FIXTURES + ".bad");
        Set<String> got = new TreeSet<>();
        r.violations().forEach(v -> got.add(
                v.className().substring(v.className().lastIndexOf('.') + 1) + "." + v.member()));
        assertEquals(new TreeSet<>(Set.of("PgoffEmulation.barOf", "LayoutEmulation.inRegion",
                "LayoutEmulation.index", "RegionInfoEmulation.answer")), got,
                r.violations().toString());
    }

    @Test
    void leavesRegisterOffsetsAndPageShiftsAlone() {
        RuleResult r = evaluate(FIXTURES + ".good");
        assertTrue(r.passed(), r.violations().toString());
    }

    @Test
    void aPackageWithNoClassFails() {
        RuleResult r = evaluate(FIXTURES + ".nothing",
                new ClassFileImporter().importPackages(FIXTURES + ".good"));
        assertFalse(r.passed(), "a renamed or emptied package must not pass vacuously");
    }

    /** What a stage's rules are evaluated on holds the shared packages too (here for a root of common's). */
    @Test
    void everyStageImportsTheSharedPackagesBesideItsOwn() {
        JavaClasses classes = RuleEvaluator.importStage("vfiowb.common.uapi");
        for (String pkg : RuleCatalogue.SHARED_DRIVER_PACKAGES) {
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)), pkg);
        }
    }
}
