package vfiowb.common.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Stage 5's rules on fixtures: an ops table that kept an old member (its type, its field, its
 * accessor-free builder setter), a helper type left with no caller, a layout moved into a driver
 * instead of deleted, and rw finding a device region by index are each caught, member by
 * member; the converted shapes (only cookie members, a region taken from the cookie, a
 * {@code read} method outside the ops table) are not. The teeth on the real stage 4 are in the
 * workbench's RuleTeethTest.
 */
class StageFiveRulesTeethTest {
    private static final String BAD = "vfiowb.rulefixture.removal.bad";
    private static final String GOOD = "vfiowb.rulefixture.removal.good";

    private static RuleResult evaluate(String id, String root) {
        return RuleEvaluator.evaluate(RuleCatalogue.byId(id), root,
                new ClassFileImporter().importPackages(root));
    }

    private static Set<String> leftovers(RuleResult r) {
        Set<String> got = new TreeSet<>();
        r.violations().forEach(v -> got.add(v.className().substring(BAD.length() + 1)
                + (v.member().isEmpty() ? "" : "#" + v.member())));
        return got;
    }

    @Test
    void oldApisRemovedNamesEveryLeftover() {
        RuleResult r = evaluate("old-apis-removed", BAD);
        assertEquals(Set.of(
                "core.VfioDeviceOps#mmap",
                "core.VfioDeviceOps$Mmap",
                "core.VfioDeviceOps$Mmap#mmap",
                "core.VfioDeviceOps$Builder#mmap",
                "pci.PciOffsets",
                "drivers.moved.MovedLayoutDriver#MOVED_OFFSET_SHIFT",
                "drivers.moved.MovedLayoutDriver#indexToOffset"), leftovers(r));
        assertEquals(Set.of("core", "pci", "drivers.moved"), r.violatingUnits());
    }

    @Test
    void deviceRegionsThroughCookieCatchesRwByIndexOnly() {
        RuleResult r = evaluate("device-regions-through-cookie", BAD);
        assertEquals(Set.of("pci.PciCore#rw"), leftovers(r));
    }

    @Test
    void passesTheConvertedShapes() {
        assertTrue(evaluate("old-apis-removed", GOOD).passed());
        assertTrue(evaluate("device-regions-through-cookie", GOOD).passed());
    }

    @Test
    void bothAreIntroducedByStageFive() {
        assertEquals(5, RuleCatalogue.byId("old-apis-removed").introducedAt());
        assertEquals(5, RuleCatalogue.byId("device-regions-through-cookie").introducedAt());
    }
}
