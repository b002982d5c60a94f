package vfiowb.workbench.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the normaliser rewrites, what it leaves, and that it round-trips. */
class StageNormaliserTest {
    @Nested
    class Rewrites {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "package vfiowb.step1.core;|package vfiowb.stepN.core;",
            "import vfiowb.step1.Step1;|import vfiowb.stepN.StepN;",
            "src/test/java/vfiowb/step1/Step1RulesTest.java|src/test/java/vfiowb/stepN/StepNRulesTest.java",
            "conformance/Step1ConformanceTest.java|conformance/StepNConformanceTest.java",
            "return \"vfiowb.step1\";|return \"vfiowb.stepN\";",
            "new Step1().boot(arch)|new StepN().boot(arch)",
            "(vfiowb.step1)|(vfiowb.stepN)",
            "Step1|StepN",
        })
        void stageOneSpellings(String stage1, String neutral) {
            assertEquals(neutral, StageNormaliser.normalise(stage1, 1));
            assertEquals(stage1, StageNormaliser.denormalise(neutral, 1));
            assertEquals(stage1.replace("step1", "step4").replace("Step1", "Step4"),
                    StageNormaliser.denormalise(neutral, 4));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "return \"step1-region-info-op\";",
            "vfiowb.step10.core",
            "vfiowb.step1x",
            "myvfiowb.step1.core",
            "vfiowb.step1_old",
            "MyStep1",
            "Step10",
            "Step1a",
            "Step1_x",
            "the step1 module",
            "vfiowb.step2.core",
            "Step2RulesTest",
            "vfiowb-step1",
        })
        void leavesEverythingElse(String text) {
            assertEquals(text, StageNormaliser.normalise(text, 1));
        }

        @Test
        void twoDigitStages() {
            assertEquals("vfiowb.stepN.core StepNTest vfiowb.step1.x",
                    StageNormaliser.normalise("vfiowb.step12.core Step12Test vfiowb.step1.x", 12));
            assertEquals("vfiowb.step12.core", StageNormaliser.denormalise("vfiowb.stepN.core", 12));
        }

        @Test
        void refusesTextAlreadyHoldingTheNeutralToken() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StageNormaliser.normalise("see vfiowb.stepN.core", 1));
            assertTrue(e.getMessage().contains("vfiowb.stepN"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> StageNormaliser.normalise("StepNRulesTest", 2));
            assertEquals("StepNothing stepN", StageNormaliser.normalise("StepNothing stepN", 2),
                    "neither is a token: lower-case continuation, no vfiowb segment");
            assertThrows(IllegalArgumentException.class, () -> StageNormaliser.normalise("x", 0));
        }
    }

    @Nested
    class RoundTrip {
        @Test
        void everyRealStageFileAndPathRoundTrips() {
            Repo repo = RealRepo.get();
            int files = 0;
            for (StageModule m : repo.stages()) {
                if (!m.hasSources()) {
                    continue;
                }
                for (Map.Entry<String, String> e : SourceTree.working(m).files().entrySet()) {
                    for (String s : List.of(e.getKey(), e.getValue())) {
                        String n = StageNormaliser.normalise(s, m.number());
                        assertEquals(s, StageNormaliser.denormalise(n, m.number()), m.name() + "/" + e.getKey());
                        assertFalse(n.contains("vfiowb.step" + m.number() + ".")
                                || n.contains("vfiowb/step" + m.number() + "/")
                                || n.matches("(?s).*\\bStep" + m.number() + "(?![a-z0-9]).*"),
                                m.name() + "/" + e.getKey() + " keeps a stage spelling");
                    }
                    files++;
                }
            }
            assertTrue(files > 100, "read the real stages: " + files + " files");
        }

        @Test
        void seededRandomTextsRoundTrip() {
            long seed = System.nanoTime();
            SplittableRandom r = new SplittableRandom(seed);
            String[] pieces = {"vfiowb", ".", "/", "step", "Step", "1", "2", "N", "x", "A", " ", "_",
                "$", "vfiowb.step1", "Step1", "vfiowb/step2/", "Step2Test", "\n"};
            for (int i = 0; i < 20_000; i++) {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(12);
                for (int j = 0; j < n; j++) {
                    sb.append(pieces[r.nextInt(pieces.length)]);
                }
                String s = sb.toString();
                int stage = 1 + r.nextInt(2);
                if (StageNormaliser.holdsNeutralToken(s)) {
                    continue;
                }
                String norm = StageNormaliser.normalise(s, stage);
                assertEquals(s, StageNormaliser.denormalise(norm, stage),
                        "seed " + seed + " (replay with new SplittableRandom(" + seed + "L)), stage "
                                + stage + ", text '" + s + "'");
            }
        }
    }

    @Nested
    class VariantSpelling {
        @Test
        void aVariantsSegmentAndClassPrefixComeFromItsName() {
            StageNormaliser.Spelling v = StageNormaliser.Spelling.variant("wc-dmabuf");
            assertEquals(new StageNormaliser.Spelling("wcdmabuf", "WcDmabuf"), v);
            String text = "package vfiowb.wcdmabuf.pci;\nclass WcDmabufRulesTest extends WcDmabuf {}\n"
                    + "// wc-dmabuf, WcDmabufs, vfiowb.wcdmabuf2 stay\n";
            String n = StageNormaliser.normalise(text, v);
            assertEquals("package vfiowb.stepN.pci;\nclass StepNRulesTest extends StepN {}\n"
                    + "// wc-dmabuf, WcDmabufs, vfiowb.wcdmabuf2 stay\n", n);
            assertEquals(text, StageNormaliser.denormalise(n, v));
            assertEquals("package vfiowb.step5.pci;\nclass Step5RulesTest extends Step5 {}\n"
                    + "// wc-dmabuf, WcDmabufs, vfiowb.wcdmabuf2 stay\n", StageNormaliser.denormalise(n, 5));
        }

        @Test
        void aNameThatIsNotLowerCaseWordsIsRefused() {
            for (String bad : new String[] {"WC-cookie", "wc--x", "-wc", "wc-", "wc_x", "5wc"}) {
                assertThrows(IllegalArgumentException.class, () -> StageNormaliser.Spelling.variant(bad), bad);
            }
        }
    }
}
