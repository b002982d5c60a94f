package vfiowb.workbench.series;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import vfiowb.workbench.UserError;

/**
 * The part of a stage tree one patch of the series changes, as a kernel series splits a stage:
 * {@code core} (the VFIO core, {@code .../stepN/core}, the {@code StepN} class and registry and
 * the resources), {@code pci} (vfio-pci-core, {@code .../stepN/pci}), one unit per driver package
 * {@code .../stepN/drivers/NAME}, and {@code tests} for the test sources no single unit owns. A
 * test file goes with the unit whose package it sits in ({@code src/test/.../drivers/mlx5/} with
 * {@code mlx5}) when that driver package exists; the rest of {@code src/test} is {@code tests}. Units sort core, pci, the drivers
 * alphabetically, tests.
 *
 * @param name the unit's name, also the patch file's name after its number
 * @param rank 0 core, 1 pci, 2 a driver, 3 tests
 */
public record PatchUnit(String name, int rank) implements Comparable<PatchUnit> {
    public static final PatchUnit CORE = new PatchUnit("core", 0);
    public static final PatchUnit PCI = new PatchUnit("pci", 1);
    public static final PatchUnit TESTS = new PatchUnit("tests", 3);

    private static final String MAIN = "src/main/java/vfiowb/stepN/";
    private static final String TEST = "src/test/java/vfiowb/stepN/";

    /**
     * Subject tags ({@code vfio/TAG:}) the kernel uses for a driver whose package name differs
     * from its directory's; the first one is the tag of a generated subject. The vfio-pci driver
     * ({@code drivers/vfiopci}, vfio_pci.c) is {@code vfio/pci} like vfio-pci-core.
     */
    private static final Map<String, List<String>> TAGS = Map.of(
            "hisilicon", List.of("hisi_acc", "hisi"),
            "nvgracegpu", List.of("nvgrace-gpu", "nvgrace"),
            "fslmc", List.of("fsl-mc", "fsl"),
            "vfiopci", List.of("pci"));

    /**
     * The driver packages of a normalised tree: the names {@code NAME} of {@code
     * src/main/java/vfiowb/stepN/drivers/NAME/}.
     */
    public static Set<String> drivers(Collection<String> paths) {
        Set<String> out = new TreeSet<>();
        String at = MAIN + "drivers/";
        for (String p : paths) {
            int slash = p.indexOf('/', at.length());
            if (p.startsWith(at) && slash > 0) {
                out.add(p.substring(at.length(), slash));
            }
        }
        return out;
    }

    /**
     * The unit of a normalised module-relative path, given the driver packages ({@link
     * #drivers}): a test under {@code drivers/NAME/} that is no driver's ({@code drivers/nonpci})
     * is {@code tests}.
     */
    public static PatchUnit of(String path, Set<String> drivers) {
        boolean test = path.startsWith("src/test/");
        String rest = path.startsWith(MAIN) ? path.substring(MAIN.length())
                : path.startsWith(TEST) ? path.substring(TEST.length()) : null;
        if (rest != null && rest.startsWith("drivers/") && rest.indexOf('/', "drivers/".length()) > 0) {
            String driver = rest.substring("drivers/".length(), rest.indexOf('/', "drivers/".length()));
            if (driver.equals(CORE.name) || driver.equals(PCI.name) || driver.equals(TESTS.name)) {
                throw new UserError("driver package '" + driver + "' has the name of a series unit; rename it");
            }
            if (!test || drivers.contains(driver)) {
                return new PatchUnit(driver, 2);
            }
        }
        if (rest != null && rest.startsWith("drivers/")) {
            return test ? TESTS : CORE;
        }
        if (rest != null && rest.startsWith("pci/")) {
            return PCI;
        }
        if (rest != null && rest.startsWith("core/")) {
            return CORE;
        }
        return test ? TESTS : CORE;
    }

    /** The kernel subject prefix of a generated subject: {@code vfio}, {@code vfio/pci}, {@code vfio/mlx5}. */
    public String prefix() {
        if (this.equals(CORE)) {
            return "vfio";
        }
        List<String> tags = TAGS.get(name);
        return "vfio/" + (tags == null ? name : tags.get(0));
    }

    /**
     * Whether a patch subject is about this unit: {@code vfio: ...} is the core's; {@code
     * vfio/TAG: ...} is the unit's whose name or kernel tag is TAG, compared without case and
     * punctuation ({@code hisi_acc} is {@code hisiacc}).
     */
    public boolean matches(String subject) {
        int colon = subject.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String head = subject.substring(0, colon).trim();
        if (head.equals("vfio")) {
            return this.equals(CORE);
        }
        if (!head.startsWith("vfio/")) {
            return false;
        }
        String tag = squash(head.substring("vfio/".length()));
        List<String> names = new ArrayList<>(TAGS.getOrDefault(name, List.of()));
        names.add(name);
        return names.stream().anyMatch(n -> squash(n).equals(tag));
    }

    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    @Override
    public int compareTo(PatchUnit o) {
        return rank != o.rank ? Integer.compare(rank, o.rank) : name.compareTo(o.name);
    }
}
