package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.rules.RuleEvaluator;
import vfiowb.common.rules.RuleResult;
import vfiowb.common.rules.StageRule;
import vfiowb.common.rules.Violation;
import vfiowb.common.stage.Stages;

/**
 * Every rule a stage introduces fails on the stage before it, naming exactly the code that the
 * stage's patches change. A rule that passed there would be vacuous.
 */
class RuleTeethTest {
    /**
     * What each rule must find on the stage before the one that introduces it, by unit
     * ({@code pci} or {@code drivers.<name>}), written from the series' patch list.
     */
    private static final Map<String, Set<String>> EXPECTED_ON_PREVIOUS_STAGE = Map.of(
            // Stage 1 leaves vfio-pci-core's legacy ioctl path (serving every vfio-pci based
            // table but vfio_pci_ops) and every other driver's own REGION_INFO case: hisi_acc,
            // nvgrace-gpu and virtio (one table each), ism, and all non-PCI drivers with regions
            // (vfio-ap has none; mlx5, pds, qat and xe use vfio-pci-core's case).
            "region-info-core-only", Set.of("pci", "drivers.hisilicon", "drivers.nvgracegpu",
                    "drivers.virtio", "drivers.ism", "drivers.platform", "drivers.fslmc",
                    "drivers.cdx", "drivers.ccw", "drivers.gvt", "drivers.mtty", "drivers.mdpy",
                    "drivers.mbochs"),
            // Stage 3 converted vfio_pci_ops only: vfio-pci-core still decodes for every other
            // vfio-pci based table, and every driver with its own mmap, read/write or layout
            // decodes too; mlx5, pds, qat, xe and vfio-pci only point at vfio-pci-core.
            "no-offset-arithmetic-in-drivers", Set.of("pci", "drivers.hisilicon",
                    "drivers.nvgracegpu", "drivers.virtio", "drivers.ism", "drivers.platform",
                    "drivers.fslmc", "drivers.cdx", "drivers.ccw", "drivers.gvt", "drivers.mtty",
                    "drivers.mdpy", "drivers.mbochs"),
            // Stage 4 left the old ops members in the core and vfio-pci-core's layout helper
            // type, unused (the drivers' own layouts went with their conversions).
            "old-apis-removed", Set.of("core", "pci"),
            // Stage 4's vfio_pci_rw and vfio_pci_core_mmap_obj still index vdev->region[].
            "device-regions-through-cookie", Set.of("pci"));

    /**
     * Rules the stage before cannot break, because what they guard does not exist there yet;
     * their teeth are shown on fixtures in common's tests instead, named here.
     */
    private static final Map<String, String> TEETH_ON_FIXTURES = Map.of(
            "cookie-tree-core-only", "vfiowb.common.rules.StageThreeRulesTeethTest");

    @Test
    void aRuleShownOnFixturesReallyPassesVacuouslyOnTheStageBefore() {
        for (String id : TEETH_ON_FIXTURES.keySet()) {
            StageRule rule = RuleCatalogue.byId(id);
            Stages.all().stream().filter(s -> s.number() == rule.introducedAt() - 1)
                    .forEach(s -> assertTrue(RuleEvaluator.evaluate(rule, s.packageRoot()).passed(),
                            id + " on stage " + s.number()));
        }
    }

    @Test
    void everyRuleAfterStageOneHasItsExpectationWrittenDown() {
        Set<String> needed = new TreeSet<>();
        for (StageRule r : RuleCatalogue.all()) {
            if (TEETH_ON_FIXTURES.containsKey(r.id())) {
                continue;
            }
            if (r.introducedAt() > 1 && Stages.all().stream()
                    .anyMatch(s -> s.number() == r.introducedAt() - 1)) {
                needed.add(r.id());
            }
        }
        assertEquals(needed, EXPECTED_ON_PREVIOUS_STAGE.keySet());
    }

    @Test
    void everyRuleFailsOnTheStageBeforeWithExactlyTheExpectedUnits() {
        for (Map.Entry<String, Set<String>> e : EXPECTED_ON_PREVIOUS_STAGE.entrySet()) {
            StageRule rule = RuleCatalogue.byId(e.getKey());
            String before = Stages.byNumber(rule.introducedAt() - 1).packageRoot();
            RuleResult r = RuleEvaluator.evaluate(rule, before);
            assertFalse(r.passed(), rule.id() + " passes on " + before);
            assertEquals(e.getValue(), r.violatingUnits(), rule.id() + " on " + before);
        }
    }

    /**
     * region-info-core-only checks two things; each alone finds every stage-1 unit that answers
     * REGION_INFO itself: the kernel struct it builds, and its own case on the request number,
     * which only the bytecode scan sees (vfio-ap's ioctl covers 0x3b6c only as a tableswitch
     * gap, so the scan must not count it).
     */
    @Test
    void regionInfoCoreOnlyFindsEveryStageOneUnitByItsStructAndByItsCase() {
        RuleResult r = RuleEvaluator.evaluate(RuleCatalogue.byId("region-info-core-only"),
                Stages.byNumber(1).packageRoot());
        Set<String> expected = EXPECTED_ON_PREVIOUS_STAGE.get("region-info-core-only");
        assertEquals(expected, units(r, "VfioRegionInfoStruct.<init>"));
        assertEquals(expected, units(r, "VFIO_DEVICE_GET_REGION_INFO (0x3b6c)"));
    }

    private static Set<String> units(RuleResult r, String detail) {
        List<Violation> matching = new ArrayList<>();
        for (Violation v : r.violations()) {
            if (v.detail().contains(detail)) {
                matching.add(v);
            }
        }
        return new RuleResult(r.rule(), r.packageRoot(), matching).violatingUnits();
    }

    /**
     * old-apis-removed names every leftover of stage 4 by its declaration: the four ops members
     * (the table's field and accessor, the builder's setter, the functional type and its
     * method) and vfio-pci-core's offset helper type.
     */
    @Test
    void oldApisRemovedNamesEachLeftoverOfStageFour() {
        String root = Stages.byNumber(4).packageRoot();
        RuleResult r = RuleEvaluator.evaluate(RuleCatalogue.byId("old-apis-removed"), root);
        Set<String> got = new TreeSet<>();
        r.violations().forEach(v -> got.add(v.className().substring(root.length() + 1)
                + (v.member().isEmpty() ? "" : "#" + v.member())));
        Set<String> expected = new TreeSet<>();
        for (String[] m : new String[][] {{"read", "Read"}, {"write", "Write"},
                {"mmap", "Mmap"}, {"getRegionInfoCaps", "GetRegionInfoCaps"}}) {
            expected.add("core.VfioDeviceOps#" + m[0]);
            expected.add("core.VfioDeviceOps$Builder#" + m[0]);
            expected.add("core.VfioDeviceOps$" + m[1]);
            expected.add("core.VfioDeviceOps$" + m[1] + "#" + m[0]);
        }
        // The drivers' own layout types went with their conversions (stage 4's rule flags one
        // left behind); vfio-pci-core's, a shared header's macros, is stage 5's to remove.
        expected.add("pci.VfioPciOffsets");
        Set<String> typesAndOps = new TreeSet<>();
        for (String g : got) {
            if (!g.contains("Offsets#")) {
                typesAndOps.add(g);
            }
        }
        assertEquals(expected, typesAndOps);
        // The helper types' own constants and helpers are reported too, member by member.
        assertTrue(got.contains("pci.VfioPciOffsets#VFIO_PCI_OFFSET_SHIFT"), got.toString());
    }

    /** device-regions-through-cookie names the two stage-4 paths that index vdev->region[]. */
    @Test
    void deviceRegionsThroughCookieNamesStageFoursIndexedPaths() {
        String root = Stages.byNumber(4).packageRoot();
        RuleResult r = RuleEvaluator.evaluate(
                RuleCatalogue.byId("device-regions-through-cookie"), root);
        Set<String> got = new TreeSet<>();
        r.violations().forEach(v -> got.add(v.className().substring(root.length() + 1) + "#"
                + v.member()));
        assertEquals(Set.of("pci.VfioPciCore#vfioPciRwIndex", "pci.VfioPciCore#vfioPciCoreMmapObj"),
                got);
    }

    @Test
    void everyRuleHoldsOnItsOwnStageAndLater() {
        for (StageRule rule : RuleCatalogue.all()) {
            Stages.all().stream().filter(s -> s.number() >= rule.introducedAt()).forEach(s ->
                    assertTrue(RuleEvaluator.evaluate(rule, s.packageRoot()).passed(),
                            rule.id() + " on stage " + s.number()));
        }
    }
}
