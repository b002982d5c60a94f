package vfiowb.workbench.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import vfiowb.workbench.UserError;

/** Which unit a path belongs to, the series order of units, and which subjects name a unit. */
class PatchUnitTest {
    static final Set<String> DRIVERS = PatchUnit.drivers(List.of(
            "src/main/java/vfiowb/stepN/drivers/mlx5/Mlx5VfioPci.java",
            "src/main/java/vfiowb/stepN/drivers/hisilicon/HisiAccVfioPci.java",
            "src/main/java/vfiowb/stepN/drivers/pci/X.java",
            "src/test/java/vfiowb/stepN/drivers/nonpci/NonPciDriversTest.java"));

    @Test
    void pathsFallIntoCorePciDriverOrTests() {
        assertEquals(Set.of("mlx5", "hisilicon", "pci"), DRIVERS);
        assertEquals(PatchUnit.TESTS, PatchUnit.of("src/test/java/vfiowb/stepN/drivers/nonpci/NonPciDriversTest.java", DRIVERS));
        assertEquals(PatchUnit.CORE, PatchUnit.of("src/main/java/vfiowb/stepN/StepN.java", DRIVERS));
        assertEquals(PatchUnit.CORE, PatchUnit.of("src/main/java/vfiowb/stepN/core/VfioMmap.java", DRIVERS));
        assertEquals(PatchUnit.CORE, PatchUnit.of("src/main/resources/META-INF/services/x", DRIVERS));
        assertEquals(PatchUnit.CORE, PatchUnit.of("src/test/java/vfiowb/stepN/core/VfioCookieCoreTest.java", DRIVERS));
        assertEquals(PatchUnit.PCI, PatchUnit.of("src/main/java/vfiowb/stepN/pci/VfioPciCore.java", DRIVERS));
        assertEquals("mlx5", PatchUnit.of("src/main/java/vfiowb/stepN/drivers/mlx5/Mlx5VfioPci.java", DRIVERS).name());
        assertEquals("hisilicon",
                PatchUnit.of("src/test/java/vfiowb/stepN/drivers/hisilicon/HisiAccCookieOpsTest.java", DRIVERS).name());
        assertEquals(PatchUnit.TESTS, PatchUnit.of("src/test/java/vfiowb/stepN/drivers/DriverRegionInfoCaseTest.java", DRIVERS));
        assertEquals(PatchUnit.TESTS, PatchUnit.of("src/test/java/vfiowb/stepN/OpsTablesTest.java", DRIVERS));
        assertEquals(PatchUnit.TESTS, PatchUnit.of("src/test/java/vfiowb/stepN/oracle/StepNReplayTest.java", DRIVERS));
        assertThrows(UserError.class, () -> PatchUnit.of("src/main/java/vfiowb/stepN/drivers/pci/X.java", DRIVERS));
    }

    @Test
    void coreThenPciThenDriversAlphabeticallyThenTests() {
        TreeSet<PatchUnit> s = new TreeSet<>(List.of(PatchUnit.TESTS, new PatchUnit("xe", 2),
                PatchUnit.PCI, new PatchUnit("ccw", 2), PatchUnit.CORE));
        assertEquals(List.of("core", "pci", "ccw", "xe", "tests"), s.stream().map(PatchUnit::name).toList());
    }

    @Test
    void subjectsMatchByKernelTag() {
        PatchUnit hisi = new PatchUnit("hisilicon", 2);
        assertTrue(hisi.matches("vfio/hisi_acc: Convert to the mmap cookie ops"));
        assertTrue(hisi.matches("vfio/hisi: Convert to the get_region_info op"));
        assertFalse(hisi.matches("vfio/mlx5: Convert to the mmap cookie ops"));
        assertTrue(new PatchUnit("nvgracegpu", 2).matches("vfio/nvgrace-gpu: Convert"));
        assertTrue(PatchUnit.CORE.matches("vfio: Require drivers to implement get_region_info"));
        assertFalse(PatchUnit.CORE.matches("vfio/pci: Split"));
        assertTrue(PatchUnit.PCI.matches("vfio/pci: Split"));
        assertTrue(new PatchUnit("vfiopci", 2).matches("vfio/pci: Convert vfio_pci_ops"));
        assertFalse(PatchUnit.PCI.matches("no tag here"));
        assertEquals("vfio/fsl-mc", new PatchUnit("fslmc", 2).prefix());
        assertEquals("vfio", PatchUnit.CORE.prefix());
    }

    @Test
    void stageMetadataReadsTitleAndSubjectLiterals() {
        String src = "class StepN {\n  public String title() {\n    return \"A \" + \"title\";\n  }\n"
                + "  public List<String> patchSubjects() {\n    return List.of(\"vfio: one\",\n"
                + "        \"vfio/pci: two, with \\\"quotes\\\"\");\n  }\n"
                + "  public String module() { return \"m\"; }\n}\n";
        StageMetadata m = StageMetadata.of(new SourceTree(new java.util.TreeMap<>(
                java.util.Map.of(StageMetadata.STAGE_CLASS, src))));
        assertEquals("A title", m.title());
        assertEquals(List.of("vfio: one", "vfio/pci: two, with \"quotes\""), m.patchSubjects());
        assertEquals(List.of(), StageMetadata.of(SourceTree.empty()).patchSubjects());
    }
}
