package vfiowb.common.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Stage 1's rules have no stage 0 to fail on, so their teeth are shown on fixtures: a tree
 * whose core, vfio-pci-core and driver break each promise, and one that keeps them.
 */
class StageOneRulesTeethTest {
    private static final String BAD = "vfiowb.rulefixture.bad";
    private static final String GOOD = "vfiowb.rulefixture.good";
    private static final JavaClasses BAD_CLASSES = new ClassFileImporter().importPackages(BAD,
            "vfiowb.step9");
    private static final JavaClasses GOOD_CLASSES = new ClassFileImporter().importPackages(GOOD);

    private static RuleResult bad(String id) {
        return RuleEvaluator.evaluate(RuleCatalogue.byId(id), BAD, BAD_CLASSES);
    }

    private static RuleResult good(String id) {
        return RuleEvaluator.evaluate(RuleCatalogue.byId(id), GOOD, GOOD_CLASSES);
    }

    private static Set<String> classes(RuleResult r) {
        Set<String> s = new TreeSet<>();
        r.violations().forEach(v -> s.add(v.className()));
        return s;
    }

    @Nested
    class CoreIndependentOfDrivers {
        @Test
        void catchesTheCoreNamingADriverAndPciCore() {
            RuleResult r = bad("core-independent-of-drivers");
            assertFalse(r.passed());
            assertEquals(Set.of(BAD + ".core.CoreCallsDriver"), classes(r));
            assertTrue(r.violations().stream().anyMatch(v -> v.detail().contains("FooDriver")));
            assertTrue(r.violations().stream().anyMatch(v -> v.detail().contains("PciCore")));
        }

        @Test
        void passesALayeredTree() {
            assertTrue(good("core-independent-of-drivers").passed());
        }
    }

    @Nested
    class PciCoreIndependentOfDrivers {
        @Test
        void catchesPciCoreCallingADriver() {
            RuleResult r = bad("pci-core-independent-of-drivers");
            assertEquals(Set.of(BAD + ".pci.PciCore"), classes(r));
            assertEquals(Set.of("pci"), r.violatingUnits());
        }

        @Test
        void passesALayeredTree() {
            assertTrue(good("pci-core-independent-of-drivers").passed());
        }
    }

    @Nested
    class NoCrossStage {
        @Test
        void catchesADriverReachingAnotherStage() {
            RuleResult r = bad("no-cross-stage");
            assertEquals(Set.of(BAD + ".drivers.foo.FooDriver"), classes(r));
            assertEquals(Set.of("drivers.foo"), r.violatingUnits());
        }

        @Test
        void passesASelfContainedTree() {
            assertTrue(good("no-cross-stage").passed());
        }

        @Test
        void aStageMayUseItsOwnPackagesAndCommon() {
            RuleResult r = RuleEvaluator.evaluate(RuleCatalogue.byId("no-cross-stage"),
                    "vfiowb.step9", new ClassFileImporter().importPackages("vfiowb.step9"));
            assertTrue(r.passed());
        }
    }

    @Nested
    class ModelsAnnotated {
        @Test
        void catchesAClassThatNamesNoKernelCode() {
            RuleResult r = bad("models-annotated");
            assertEquals(Set.of(BAD + ".drivers.foo.FooDriver"), classes(r));
        }

        @Test
        void acceptsTheAnnotationOnTheTypeOrOnAMethod() {
            assertTrue(good("models-annotated").passed());
        }
    }

    @Nested
    class Catalogue {
        @Test
        void cumulativeRulesGrowWithTheStage() {
            assertTrue(RuleCatalogue.cumulative(1).size() < RuleCatalogue.cumulative(2).size());
            assertTrue(RuleCatalogue.cumulative(2).containsAll(RuleCatalogue.cumulative(1)));
            for (StageRule r : RuleCatalogue.all()) {
                assertTrue(RuleCatalogue.cumulative(r.introducedAt()).contains(r));
            }
        }

        @Test
        void idsAreUnique() {
            Set<String> ids = new TreeSet<>();
            RuleCatalogue.all().forEach(r -> assertTrue(ids.add(r.id()), r.id()));
        }

        @Test
        void importingAnEmptyRootIsAnErrorNotAPass() {
            assertThrows(IllegalArgumentException.class,
                    () -> RuleEvaluator.importStage("vfiowb.no.such.stage"));
        }
    }
}
