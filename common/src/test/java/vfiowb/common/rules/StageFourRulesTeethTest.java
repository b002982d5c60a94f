package vfiowb.common.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Stage 4's rule on fixtures, one package per shape the issue names: each is caught, by the
 * method that does it; a converted driver (object and in-object offset from the core; page
 * shifts of addresses and masks of hardware fields) is not. Its teeth on the real stage 3 are in
 * the workbench's RuleTeethTest.
 */
class StageFourRulesTeethTest {
    private static final String ID = "no-offset-arithmetic-in-drivers";

    private static RuleResult evaluate(String root) {
        return RuleEvaluator.evaluate(RuleCatalogue.byId(ID), root,
                new ClassFileImporter().importPackages(root));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "pgoffshift, drivers.a, PgoffShiftDriver.mmap",
        "pposshift, drivers.b, PposShiftDriver.read PposShiftDriver.write",
        "mask, drivers.c, MaskDriver.read",
        "helper, drivers.d, HelperCallingDriver.read HelperOffsets.offsetToIndex",
        "privatehelper, drivers.e, PrivateHelperDriver.indexOf"})
    void catchesEveryShape(String fixture, String unit, String methods) {
        String root = "vfiowb.rulefixture.offsets." + fixture;
        RuleResult r = evaluate(root);
        assertEquals(Set.of(unit), r.violatingUnits(), r.violations().toString());
        Set<String> got = new TreeSet<>();
        r.violations().forEach(v -> got.add(
                v.className().substring(v.className().lastIndexOf('.') + 1) + "." + v.member()));
        assertEquals(new TreeSet<>(Set.of(methods.split(" "))), got);
    }

    /**
     * A driver's own layout type is flagged for its arithmetic even when nothing calls it: a
     * conversion removes the helpers it leaves unused. Only vfio-pci-core's type (the
     * VFIO_PCI_OFFSET_* macros of a shared header) may stay until stage 5.
     */
    @Test
    void aDriversOwnLayoutTypeIsFlaggedEvenUnused() {
        RuleResult r = evaluate("vfiowb.rulefixture.offsets.deadhelper");
        assertEquals(Set.of("drivers.g"), r.violatingUnits(), r.violations().toString());
        assertTrue(r.violations().stream().allMatch(v -> v.className().endsWith("DeadOffsets")),
                r.violations().toString());
    }

    @Test
    void vfioPciCoresOwnLayoutTypeMayStayUnused() {
        assertTrue(evaluate("vfiowb.rulefixture.offsets.pcihelper").passed());
    }

    @Test
    void passesAConvertedDriver() {
        assertTrue(evaluate("vfiowb.rulefixture.offsets.good").passed());
    }
}
