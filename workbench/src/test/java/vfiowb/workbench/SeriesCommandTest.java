package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code series --check} and {@code --update} on tiny stage modules. */
class SeriesCommandTest {
    @TempDir
    Path dir;

    FakeRepo repo() {
        FakeRepo r = new FakeRepo(dir, "step1-a", "step2-b", "step3-c");
        r.write("step1-a/src/main/java/vfiowb/step1/Step1.java", FakeRepo.javaFile(1, "", "Step1", "int n = 1;"));
        r.write("step2-b/src/main/java/vfiowb/step2/Step2.java", FakeRepo.javaFile(2, "", "Step2", "int n = 2;"));
        return r;
    }

    /** Stage 2 changes the core, two drivers and a test, and names a subject for one driver. */
    FakeRepo repoWithDrivers() {
        FakeRepo r = new FakeRepo(dir, "step1-a", "step2-b");
        r.write("step1-a/src/main/java/vfiowb/step1/Step1.java", FakeRepo.javaFile(1, "", "Step1", "int n = 1;"));
        r.write("step2-b/src/main/java/vfiowb/step2/Step2.java", FakeRepo.javaFile(2, "", "Step2",
                "public String title() {", "    return \"Convert \" + \"the drivers\";", "}",
                "public java.util.List<String> patchSubjects() {",
                "    return java.util.List.of(\"vfio: Add the op\", \"vfio/hisi_acc: Convert to the op\");",
                "}"));
        for (int k = 1; k <= 2; k++) {
            String m = k == 1 ? "step1-a" : "step2-b";
            r.write(m + "/src/main/java/vfiowb/step" + k + "/drivers/mlx5/Mlx5.java",
                    FakeRepo.javaFile(k, "drivers.mlx5", "Mlx5", "int v = " + k + ";"));
            r.write(m + "/src/main/java/vfiowb/step" + k + "/drivers/hisilicon/Hisi.java",
                    "package vfiowb.step" + k + ".drivers.hisilicon;\n\nfinal class Hisi {}\n");
            r.write(m + "/src/test/java/vfiowb/step" + k + "/drivers/hisilicon/HisiTest.java",
                    FakeRepo.javaFile(k, "drivers.hisilicon", "HisiTest", "int t = " + k + ";"));
            r.write(m + "/src/test/java/vfiowb/step" + k + "/OpsTest.java",
                    FakeRepo.javaFile(k, "", "OpsTest", "int t = " + k + ";"));
        }
        return r;
    }

    @Test
    void checkNamesAMissingPatchAndTheCommandThatWritesIt() {
        FakeRepo r = repo();
        Cli.Result c = r.run("series", "--check");
        assertEquals(1, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("series/step1-to-step2/0001-core.patch is missing"), c.out());
        assertTrue(c.out().contains("./vfio-workbench series --update"), c.out());
        assertFalse(c.out().contains("step2-to-step3"), "stage 3 has no sources");
    }

    @Test
    void updateWritesThePatchCheckThenPassesAndAStageEditMakesItStale() {
        FakeRepo r = repo();
        Cli.Result u = r.run("series", "--update");
        assertEquals(0, u.code(), u.out() + u.err());
        assertTrue(u.out().contains("wrote     series/step1-to-step2/0001-core.patch"), u.out());
        String patch = r.read("series/step1-to-step2/0001-core.patch");
        assertTrue(patch.startsWith("Subject: [PATCH 1/1] vfio: Stage 2\n\n"), patch);
        assertTrue(patch.contains("diff --git a/src/main/java/vfiowb/stepN/StepN.java b/src/main/java/vfiowb/stepN/StepN.java\n"
                + "--- a/src/main/java/vfiowb/stepN/StepN.java\n+++ b/src/main/java/vfiowb/stepN/StepN.java\n"), patch);
        assertTrue(patch.contains("-/** Model of StepN in step1-fake. */\n+/** Model of StepN in step2-fake. */\n"), patch);
        assertTrue(patch.contains("-    int n = 1;\n+    int n = 2;\n"), patch);
        assertEquals(0, r.run("series", "--check").code());

        r.write("step2-b/src/main/java/vfiowb/step2/Step2.java", FakeRepo.javaFile(2, "", "Step2", "int n = 3;"));
        Cli.Result stale = r.run("series", "--check");
        assertEquals(1, stale.code());
        assertTrue(stale.out().contains("series/step1-to-step2/0001-core.patch is stale"), stale.out());
        assertEquals(0, r.run("series", "--update").code());
        assertTrue(r.read("series/step1-to-step2/0001-core.patch").contains("+    int n = 3;\n"));
    }

    @Test
    void aPatchNoPairProducesIsReportedAndRemoved() {
        FakeRepo r = repo();
        r.run("series", "--update");
        r.write("series/step2-to-step3/0001-core.patch", "old\n");
        r.write("series/step1-to-step2.patch", "the old single-file form\n");
        r.write("series/step1-to-step2/README", "not a patch: not the command's\n");
        Cli.Result c = r.run("series", "--check");
        assertEquals(1, c.code());
        assertTrue(c.out().contains("series/step2-to-step3/0001-core.patch is produced by no pair"), c.out());
        assertTrue(c.out().contains("series/step1-to-step2.patch is produced by no pair"), c.out());
        Cli.Result u = r.run("series", "--update");
        assertTrue(u.out().contains("removed   series/step2-to-step3/0001-core.patch"), u.out());
        assertFalse(r.exists("series/step2-to-step3"), "the emptied directory goes too");
        assertFalse(r.exists("series/step1-to-step2.patch"));
        assertTrue(r.exists("series/step1-to-step2/README"));
        assertEquals(0, r.run("series", "--check").code());
    }

    @Test
    void aStageSplitsIntoCoreDriverAndTestPatchesInSeriesOrderWithKernelSubjects() {
        FakeRepo r = repoWithDrivers();
        Cli.Result u = r.run("series", "--update");
        assertEquals(0, u.code(), u.out() + u.err());
        String core = r.read("series/step1-to-step2/0001-core.patch");
        String hisi = r.read("series/step1-to-step2/0002-hisilicon.patch");
        String mlx5 = r.read("series/step1-to-step2/0003-mlx5.patch");
        String tests = r.read("series/step1-to-step2/0004-tests.patch");
        assertFalse(r.exists("series/step1-to-step2/0005-tests.patch"));
        assertTrue(core.startsWith("Subject: [PATCH 1/4] vfio: Add the op\n"), core);
        assertTrue(hisi.startsWith("Subject: [PATCH 2/4] vfio/hisi_acc: Convert to the op\n"), hisi);
        assertTrue(mlx5.startsWith("Subject: [PATCH 3/4] vfio/mlx5: Convert the drivers\n"), mlx5);
        assertTrue(tests.startsWith("Subject: [PATCH 4/4] vfio/tests: Convert the drivers\n"), tests);
        assertTrue(hisi.contains("diff --git a/src/test/java/vfiowb/stepN/drivers/hisilicon/HisiTest.java"), hisi);
        assertFalse(hisi.contains("drivers/hisilicon/Hisi.java"), "unchanged files are in no patch");
        assertTrue(mlx5.contains("-    int v = 1;\n+    int v = 2;\n"), mlx5);
        assertFalse(mlx5.contains("StepN.java"), mlx5);
        assertTrue(tests.contains("diff --git a/src/test/java/vfiowb/stepN/OpsTest.java"), tests);
        assertTrue(core.contains("diff --git a/src/main/java/vfiowb/stepN/StepN.java"), core);
        assertEquals(0, r.run("series", "--check").code());
    }

    @Test
    void filesGitIgnoresAreNotPartOfAStage() {
        FakeRepo r = repo().gitInit();
        r.run("series", "--update");
        r.write("step2-b/src/main/java/vfiowb/step2/Step2.java.orig", "a merge leftover\n");
        assertEquals(0, r.run("series", "--check").code(), "ignored by .gitignore");
        r.write("step2-b/src/main/java/vfiowb/step2/Untracked.java", "class Untracked {}\n");
        assertEquals(1, r.run("series", "--check").code(), "untracked but not ignored counts");
    }

    @Test
    void exactlyOneModeOneLineErrors() {
        FakeRepo r = repo();
        Cli.Result none = r.run("series");
        assertEquals(2, none.code());
        assertTrue(none.oneErrorLine() && none.err().contains("name one of --check, --update or --out DIR"),
                none.err());
        Cli.Result both = r.run("series", "--check", "--update");
        assertEquals(2, both.code());
        Cli.Result checkAndOut = r.run("series", "--check", "--out", dir.resolve("o").toString());
        assertEquals(2, checkAndOut.code());
        assertTrue(checkAndOut.oneErrorLine(), checkAndOut.err());
        Cli.Result notRepo = Cli.run("series", "--check", "--repo", dir.resolve("step1-a").toString());
        assertEquals(2, notRepo.code());
        assertTrue(notRepo.oneErrorLine(), notRepo.err());
    }

    /** {@code --out}'s options: each mistake is one line and exit 2, and nothing is written. */
    @Test
    void outRefusesAStaleSeriesAndBadStageRangesWithOneLine() {
        FakeRepo r = repo();
        Path out = dir.resolve("mbox-out");
        Cli.Result stale = r.run("series", "--out", out.toString());
        assertEquals(2, stale.code(), stale.out() + stale.err());
        assertTrue(stale.oneErrorLine() && stale.err().contains("series/ is out of date")
                && stale.err().contains("series/step1-to-step2/0001-core.patch"), stale.err());
        assertEquals(0, r.run("series", "--update").code());
        for (String[] bad : new String[][] {{"--from", "2", "--to", "1"}, {"--from", "2", "--to", "3"},
            {"--from", "7"}, {"--to", "1"}, {"--reroll-count", "0"}, {"--author", "nobody"}}) {
            String[] argv = new String[3 + bad.length];
            argv[0] = "series";
            argv[1] = "--out";
            argv[2] = out.toString();
            System.arraycopy(bad, 0, argv, 3, bad.length);
            Cli.Result c = r.run(argv);
            assertEquals(2, c.code(), String.join(" ", bad) + ": " + c.out() + c.err());
            assertTrue(c.oneErrorLine(), String.join(" ", bad) + ": " + c.err());
        }
        Cli.Result withoutOut = r.run("series", "--check", "--from", "1");
        assertEquals(2, withoutOut.code());
        assertTrue(withoutOut.oneErrorLine() && withoutOut.err().contains("go with --out"), withoutOut.err());
        assertFalse(java.nio.file.Files.exists(out), "nothing is written on a refusal");
    }
}
