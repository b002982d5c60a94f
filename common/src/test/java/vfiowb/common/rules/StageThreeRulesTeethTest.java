package vfiowb.common.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Stage 2 has no cookie tree to violate stage 3's rule, so its teeth are shown on fixtures: a
 * driver keeping its own pgoff tree and vfio-pci-core reaching into the core's per-file
 * structure are caught; the core holding the tree and a driver handed objects are not.
 */
class StageThreeRulesTeethTest {
    private static final String BAD = "vfiowb.rulefixture.tree.bad";
    private static final String GOOD = "vfiowb.rulefixture.tree.good";

    @Test
    void catchesADriverWithItsOwnTreeAndPciCoreReachingIntoTheFile() {
        JavaClasses bad = new ClassFileImporter().importPackages(BAD);
        RuleResult r = RuleEvaluator.evaluate(RuleCatalogue.byId("cookie-tree-core-only"), BAD, bad);
        assertFalse(r.passed());
        Set<String> classes = new TreeSet<>();
        r.violations().forEach(v -> classes.add(v.className()));
        assertEquals(Set.of(BAD + ".drivers.foo.FooTreeDriver", BAD + ".pci.PciFileSnoop"), classes);
        assertEquals(Set.of("drivers.foo", "pci"), r.violatingUnits());
    }

    @Test
    void passesTheCoreHoldingTheTree() {
        JavaClasses good = new ClassFileImporter().importPackages(GOOD);
        assertTrue(RuleEvaluator.evaluate(RuleCatalogue.byId("cookie-tree-core-only"), GOOD, good)
                .passed());
    }

    @Test
    void isIntroducedByStageThree() {
        assertEquals(3, RuleCatalogue.byId("cookie-tree-core-only").introducedAt());
    }
}
