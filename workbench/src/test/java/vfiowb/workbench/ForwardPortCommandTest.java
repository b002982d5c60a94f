package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forward-port} in a temporary git repository with three tiny stage modules. */
class ForwardPortCommandTest {
    private static final String CORE = "src/main/java/vfiowb/stepK/core/Core.java";
    private static final String MAIN = "src/main/java/vfiowb/stepK/StepK.java";
    private static final String SERVICES = "src/main/resources/META-INF/services/vfiowb.common.stage.Stage";
    private static final String OLD_TEST = "src/test/java/vfiowb/stepK/OldTest.java";
    private static final String ADDED = "src/main/java/vfiowb/stepK/core/Added.java";
    private static final String[] MODULES = {"step1-a", "step2-b", "step3-c"};

    @TempDir
    Path dir;

    FakeRepo repo;

    /** Path {@code p} (written with stepK/StepK) in stage {@code k}'s module. */
    static String in(int k, String p) {
        return MODULES[k - 1] + "/" + p.replace("stepK", "step" + k).replace("StepK", "Step" + k);
    }

    /** Core's lines in stage {@code k}: the series changed line 15 at stage 2 and 17 at stage 3. */
    static String[] coreLines(int k) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String v = String.valueOf(i);
            if (i == 15 && k >= 2) {
                v = "1500 /* stage 2 */";
            }
            if (i == 17 && k >= 3) {
                v = "1700 /* stage 3 */";
            }
            l.add("int a" + i + "() { return " + v + "; }");
        }
        return l.toArray(new String[0]);
    }

    /** A test file whose normalised text is the same in every stage. */
    static String oldTest(int k, String body) {
        return "package vfiowb.step" + k + ";\n\nclass OldTest extends Step" + k + "Base {\n    " + body + "\n}\n";
    }

    /** A new file; its bare "step1" word is no stage spelling and is carried as it is. */
    static String added(int k) {
        return "package vfiowb.step" + k + ".core;\n\n/** Added in step1. */\nclass Added {\n    Step" + k
                + " owner;\n}\n";
    }

    @BeforeEach
    void stages() {
        repo = new FakeRepo(dir, MODULES);
        for (int k = 1; k <= 3; k++) {
            repo.write(in(k, CORE), FakeRepo.javaFile(k, "core", "Core", coreLines(k)));
            repo.write(in(k, MAIN), FakeRepo.javaFile(k, "", "Step" + k, "int number() { return " + k + "; }"));
            repo.write(in(k, SERVICES), "vfiowb.step" + k + ".Step" + k + "\n");
            repo.write(in(k, OLD_TEST), oldTest(k, "void t() {}"));
        }
        repo.gitInit();
    }

    @Nested
    class CarriesAChange {
        @Test
        void aChangeInStageOneReachesTwoAndThreeMergedWithWhatTheSeriesChanged() {
            String[] fixed = coreLines(1);
            fixed[2] = "int a2() { return 42; /* the fix */ }";
            repo.write(in(1, CORE), FakeRepo.javaFile(1, "core", "Core", fixed));
            Cli.Result r = repo.run("forward-port", "--from", "1");
            assertEquals(0, r.code(), r.out() + r.err());
            for (int k = 2; k <= 3; k++) {
                String[] expected = coreLines(k);
                expected[2] = fixed[2];
                assertEquals(FakeRepo.javaFile(k, "core", "Core", expected), repo.read(in(k, CORE)), "stage " + k);
                assertTrue(r.out().contains("  M " + in(k, CORE)), r.out());
            }
            assertTrue(r.out().contains("stage 2 (step2-b): 1 file"), r.out());
            assertTrue(r.out().contains("stage 3 (step3-c): 1 file"), r.out());
        }

        @Test
        void addedAndDeletedFilesAreCreatedAndRemovedInEveryLaterStage() {
            repo.write(in(1, ADDED), added(1));
            repo.delete(in(1, OLD_TEST));
            Cli.Result r = repo.run("forward-port", "--from", "1");
            assertEquals(0, r.code(), r.out() + r.err());
            for (int k = 2; k <= 3; k++) {
                assertEquals(added(k), repo.read(in(k, ADDED)));
                assertFalse(repo.exists(in(k, OLD_TEST)), "stage " + k);
                assertFalse(repo.exists(MODULES[k - 1] + "/src/test"), "empty directories pruned");
                assertTrue(r.out().contains("  A " + in(k, ADDED)), r.out());
                assertTrue(r.out().contains("  D " + in(k, OLD_TEST)), r.out());
            }
        }

        @Test
        void theChangeSinceBaseIncludesCommittedChanges() {
            repo.write(in(1, SERVICES), "# registered stage\nvfiowb.step1.Step1\n");
            repo.commit("stage 1: comment the service file");
            Cli.Result r = repo.run("forward-port", "--from", "1", "--base", "HEAD~1");
            assertEquals(0, r.code(), r.out() + r.err());
            assertEquals("# registered stage\nvfiowb.step3.Step3\n", repo.read(in(3, SERVICES)));
            Cli.Result none = repo.run("forward-port", "--from", "1");
            assertEquals(0, none.code());
            assertTrue(none.out().contains("no change against HEAD"), none.out());
        }

        @Test
        void stageThreeMergesWhatStageTwoReceivedNotStageOnesChange() {
            // Stage 2 already has the fix: it receives nothing, so stage 3 receives nothing either.
            String[] fixed = coreLines(1);
            fixed[2] = "int a2() { return 42; }";
            repo.write(in(1, CORE), FakeRepo.javaFile(1, "core", "Core", fixed));
            String[] two = coreLines(2);
            two[2] = fixed[2];
            repo.write(in(2, CORE), FakeRepo.javaFile(2, "core", "Core", two));
            String three = repo.read(in(3, CORE));
            Cli.Result r = repo.run("forward-port", "--from", "2");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(repo.read(in(3, CORE)).contains("return 42;"), "from 2 to 3");
            repo.write(in(3, CORE), three);
            repo.commit("stages 1 and 2 fixed, stage 3 not");
            Cli.Result again = repo.run("forward-port", "--from", "1", "--base", "HEAD~1");
            assertEquals(0, again.code(), again.out() + again.err());
            assertTrue(again.out().contains("stage 2 (step2-b): no change"), again.out());
            assertEquals(three, repo.read(in(3, CORE)));
        }
    }

    @Nested
    class Conflicts {
        @Test
        void aConflictingMergeWritesNothingAndNamesTheFileWithItsStage() {
            String[] clash = coreLines(1);
            clash[15] = "int a15() { return -1; }";
            clash[2] = "int a2() { return 42; }";
            repo.write(in(1, CORE), FakeRepo.javaFile(1, "core", "Core", clash));
            repo.write(in(1, ADDED), FakeRepo.javaFile(1, "core", "Added"));
            String before = repo.snapshot();
            Cli.Result r = repo.run("forward-port", "--from", "1");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("stage 2 (step2-b): " + in(2, CORE)), r.out());
            assertTrue(r.out().contains("nothing written"), r.out());
            assertEquals(before, repo.snapshot(), "no file changed, not even the clean ones");
        }

        @Test
        void anAddedFileTheTargetHasDifferentlyAndADeletedFileTheTargetChangedConflict() {
            repo.write(in(3, ADDED), FakeRepo.javaFile(3, "core", "Added", "int other;"));
            repo.write(in(2, OLD_TEST), oldTest(2, "void t() { fail(); }"));
            repo.commit("stage 3 has its own Added, stage 2 changed OldTest");
            repo.write(in(1, ADDED), FakeRepo.javaFile(1, "core", "Added"));
            repo.delete(in(1, OLD_TEST));
            String before = repo.snapshot();
            Cli.Result r = repo.run("forward-port", "--from", "1");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("stage 3 (step3-c): " + in(3, ADDED) + ": added in stage 2"), r.out());
            assertTrue(r.out().contains("stage 2 (step2-b): " + in(2, OLD_TEST) + ": deleted in stage 1"), r.out());
            assertTrue(r.out().contains("2 conflicts"), r.out());
            assertEquals(before, repo.snapshot());
        }
    }

    @Nested
    class NewStage {
        @Test
        void copiesThePreviousStageDenormalisedAndRefusesASecondTime() {
            FakeRepo four = new FakeRepo(dir.resolve("four"), "step1-a", "step2-b", "step3-c", "step4-d");
            for (int k = 1; k <= 3; k++) {
                four.write(in(k, CORE), FakeRepo.javaFile(k, "core", "Core", coreLines(k)));
                four.write(in(k, SERVICES), "vfiowb.step" + k + ".Step" + k + "\n");
            }
            Cli.Result r = four.run("forward-port", "--new-stage", "4");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("stage 4 (step4-d): created 2 files from stage 3 (step3-c)"), r.out());
            assertEquals(FakeRepo.javaFile(3, "core", "Core", coreLines(3)).replace("vfiowb.step3", "vfiowb.step4")
                    .replace("Step3", "Step4"), four.read("step4-d/src/main/java/vfiowb/step4/core/Core.java"));
            assertTrue(four.read("step4-d/src/main/java/vfiowb/step4/core/Core.java").contains("Model of Core in step3-fake"),
                    "a bare module name is not the package segment");
            assertEquals("vfiowb.step4.Step4\n", four.read("step4-d/" + SERVICES));
            Cli.Result again = four.run("forward-port", "--new-stage", "4");
            assertEquals(2, again.code());
            assertTrue(again.oneErrorLine() && again.err().contains("already has sources"), again.err());
        }

        @Test
        void refusesAStageWithoutAPreviousOneOrAnEmptyPreviousOne() {
            Cli.Result first = repo.run("forward-port", "--new-stage", "1");
            assertEquals(2, first.code());
            assertTrue(first.oneErrorLine() && first.err().contains("no previous stage"), first.err());
            FakeRepo gap = new FakeRepo(dir.resolve("gap"), "step1-a", "step2-b", "step3-c");
            gap.write(in(1, CORE), "x\n");
            Cli.Result r = gap.run("forward-port", "--new-stage", "3");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine() && r.err().contains("stage 2 (step2-b) has no sources"), r.err());
        }
    }

    /** A variant module on stage 3 ({@code wc-x}: package vfiowb.wcx, class prefix WcX). */
    FakeRepo withVariant(Path root) {
        FakeRepo v = new FakeRepo(root, "step1-a", "step2-b", "step3-c", "wc-x");
        v.write("wc-x/pom.xml", "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <properties>\n"
                + "    <vfiowb.variant.of>3</vfiowb.variant.of>\n  </properties>\n</project>\n");
        for (int k = 1; k <= 3; k++) {
            v.write(in(k, CORE), FakeRepo.javaFile(k, "core", "Core", coreLines(k)));
            v.write(in(k, MAIN), FakeRepo.javaFile(k, "", "Step" + k, "int number() { return " + k + "; }"));
        }
        return v;
    }

    static String variantCore(String[] lines) {
        return FakeRepo.javaFile(3, "core", "Core", lines).replace("vfiowb.step3", "vfiowb.wcx")
                .replace("Step3", "WcX");
    }

    @Nested
    class Variants {
        static final String V_CORE = "wc-x/src/main/java/vfiowb/wcx/core/Core.java";

        @Test
        void aNewVariantIsItsStageSpelledAsTheVariant() {
            FakeRepo v = withVariant(dir.resolve("v"));
            Cli.Result r = v.run("forward-port", "--new-variant", "wc-x");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("variant wc-x (on stage 3): created 2 files from stage 3 (step3-c)"), r.out());
            assertEquals(variantCore(coreLines(3)), v.read(V_CORE));
            assertTrue(v.exists("wc-x/src/main/java/vfiowb/wcx/WcX.java"));
            Cli.Result again = v.run("forward-port", "--new-variant", "wc-x");
            assertEquals(2, again.code());
            assertTrue(again.oneErrorLine() && again.err().contains("already has sources"), again.err());
            Cli.Result unknown = v.run("forward-port", "--new-variant", "wc-y");
            assertTrue(unknown.oneErrorLine() && unknown.err().contains("no variant module 'wc-y' (the variants are wc-x)"),
                    unknown.err());
        }

        @Test
        void aFixInStageOneReachesTheVariantMergedWithWhatItChanged() {
            FakeRepo v = withVariant(dir.resolve("v"));
            String[] mine = coreLines(3);
            mine[5] = "int a5() { return 5; /* the variant's own */ }";
            v.write(V_CORE, variantCore(mine));
            v.gitInit();
            String[] fixed = coreLines(1);
            fixed[2] = "int a2() { return 42; /* the fix */ }";
            v.write(in(1, CORE), FakeRepo.javaFile(1, "core", "Core", fixed));
            Cli.Result r = v.run("forward-port", "--from", "1");
            assertEquals(0, r.code(), r.out() + r.err());
            mine[2] = fixed[2];
            assertEquals(variantCore(mine), v.read(V_CORE));
            assertTrue(r.out().contains("variant wc-x (on stage 3): 1 file"), r.out());
        }

        @Test
        void theLastStageCarriesToItsVariantsAndTheSeriesHasTheVariantsPatch() {
            FakeRepo v = withVariant(dir.resolve("v"));
            v.run("forward-port", "--new-variant", "wc-x");
            String[] mine = coreLines(3);
            mine[5] = "int a5() { return 5; /* the variant's own */ }";
            v.write(V_CORE, variantCore(mine));
            v.gitInit();
            String[] fixed = coreLines(3);
            fixed[9] = "int a9() { return 99; }";
            v.write(in(3, CORE), FakeRepo.javaFile(3, "core", "Core", fixed));
            Cli.Result r = v.run("forward-port", "--from", "3");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(v.read(V_CORE).contains("return 99;") && v.read(V_CORE).contains("variant's own"));
            Cli.Result up = v.run("series", "--update");
            assertEquals(0, up.code(), up.out() + up.err());
            String patch = v.read("series/step3-to-wc-x/0001-core.patch");
            assertTrue(patch.contains("Variant wc-x (an RFC on stage 3) against stage 3 (step3-c)"), patch);
            assertTrue(patch.contains("+    int a5() { return 5; /* the variant's own */ }"), patch);
            assertFalse(patch.contains("return 99"), "the fix is in both: not the variant's patch");
        }

        @Test
        void aVariantOnAStageWithoutAModuleIsRefused() {
            FakeRepo v = new FakeRepo(dir.resolve("bad"), "step1-a", "wc-x");
            v.write("wc-x/pom.xml", "<project><properties><vfiowb.variant.of>4</vfiowb.variant.of>"
                    + "</properties></project>\n");
            v.write(in(1, CORE), "x\n");
            Cli.Result r = v.run("series", "--check");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine() && r.err().contains("names stage 4, which has no module"), r.err());
        }
    }

    @Nested
    class UserErrors {
        @TempDir
        Path outsideGit;

        void oneLine(Cli.Result r, String fragment) {
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().contains(fragment), r.err());
            assertEquals("", r.out());
        }

        @Test
        void notAGitRepository() {
            FakeRepo plain = new FakeRepo(outsideGit, MODULES);
            plain.write(in(1, CORE), "x\n");
            plain.write(in(2, CORE), "x\n");
            oneLine(plain.run("forward-port", "--from", "1"), "not in a git work tree");
        }

        @Test
        void unknownStageUnknownRevisionLastStage() {
            oneLine(repo.run("forward-port", "--from", "9"), "no stage 9");
            oneLine(repo.run("forward-port", "--from", "1", "--base", "no-such-rev"), "no commit 'no-such-rev'");
            oneLine(repo.run("forward-port", "--from", "3"), "is the last stage");
        }

        @Test
        void exactlyOneModeAndNoRepositoryOutsideOne() {
            oneLine(repo.run("forward-port"), "name one of --from K, --new-stage N or --new-variant NAME");
            oneLine(repo.run("forward-port", "--from", "1", "--new-stage", "2"), "name one of");
            oneLine(repo.run("forward-port", "--new-stage", "2", "--base", "HEAD"), "--base goes with --from");
            oneLine(Cli.run("forward-port", "--from", "1", "--repo", dir.resolve("step1-a").toString()),
                    "is not the workbench repository");
        }
    }
}
