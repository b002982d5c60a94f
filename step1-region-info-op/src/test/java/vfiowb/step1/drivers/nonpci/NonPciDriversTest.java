package vfiowb.step1.drivers.nonpci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.rules.RuleEvaluator;
import vfiowb.common.rules.RuleResult;
import vfiowb.common.rules.Violation;
import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests;
import vfiowb.step1.Step1Adapter;

/** Stage 1's non-PCI drivers, and the stage-2 rule every one of them with regions still breaks. */
class NonPciDriversTest extends NonPciDriversTests {
    NonPciDriversTest() {
        super(new Step1Adapter(), RegionInfoCopy.SAMPLE_EXT_48);
    }

    @Nested
    class StageTwoRuleTeeth {
        @Test
        void stageTwoRegionInfoRuleFlagsEveryNonPciPackageWithRegions() {
            RuleResult r = RuleEvaluator.evaluate(RuleCatalogue.byId("region-info-core-only"),
                    "vfiowb.step1", importStage());
            Set<String> flagged = new TreeSet<>();
            for (Violation v : r.violations()) {
                for (String p : PACKAGES) {
                    if (v.className().startsWith("vfiowb.step1.drivers." + p + ".")) {
                        flagged.add(p);
                    }
                }
            }
            assertEquals(new TreeSet<>(List.of("platform", "fslmc", "cdx", "ccw", "gvt", "mtty",
                    "mdpy", "mbochs")), flagged);
        }
    }
}
