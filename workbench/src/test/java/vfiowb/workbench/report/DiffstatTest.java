package vfiowb.workbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffstatTest {
    private static final String PATCH = String.join("\n",
            "Subject: [PATCH 2/4] vfio/pci: Do a thing",
            "",
            "Body mentioning diff --git in prose and a line",
            "--- that is not a file header",
            "---",
            " a/x.java",
            "",
            "diff --git a/x.java b/x.java",
            "--- a/x.java",
            "+++ b/x.java",
            "@@ -1,3 +1,3 @@",
            " context",
            "--- a removed line that looks like a header",
            "+++ an added line that looks like one",
            "-old",
            "+new",
            "+another",
            "diff --git a/y.java b/y.java",
            "new file mode 100644",
            "--- /dev/null",
            "+++ b/y.java",
            "@@ -0,0 +1 @@",
            "+y",
            "");

    @Test
    void countsHunkLinesWhateverTheyLookLike() {
        Diffstat.Patch p = Diffstat.parse("step1-to-step2", "0002-pci.patch", PATCH);
        assertEquals(new Diffstat.Patch("step1-to-step2", "0002-pci.patch", "vfio/pci: Do a thing", 2, 4, 2), p);
    }

    @Test
    void transitionsComeInStageOrder(@TempDir Path dir) throws Exception {
        for (String d : List.of("step10-to-step11", "step2-to-step3", "step1-to-step2")) {
            Files.createDirectories(dir.resolve(d));
            Files.writeString(dir.resolve(d + "/0001-core.patch"), PATCH);
        }
        Files.writeString(dir.resolve("step1-to-step2/README"), "not a patch");
        assertEquals(List.of("step1-to-step2", "step2-to-step3", "step10-to-step11"),
                Diffstat.of(dir).stream().map(Diffstat.Patch::transition).toList());
        assertEquals(List.of(), Diffstat.of(dir.resolve("missing")));
    }
}
