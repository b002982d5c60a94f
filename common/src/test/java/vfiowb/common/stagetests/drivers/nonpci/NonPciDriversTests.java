package vfiowb.common.stagetests.drivers.nonpci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.rules.RuleEvaluator;
import vfiowb.common.rules.RuleResult;
import vfiowb.common.rules.StageRule;
import vfiowb.common.rules.Violation;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.mbochs.MbochsTests.RegionInfoCopy;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;

/**
 * The ten non-PCI ops tables together: registration, booting, and the stage's rules on every
 * non-PCI driver package. Each table's members are checked by
 * {@link vfiowb.common.stagetests.OpsTablesTests}.
 */
public abstract class NonPciDriversTests {
    /** Kernel-facts §C.2, in its order. */
    private static final List<String> TABLES = List.of("vfio_platform_ops", "vfio_amba_ops",
            "vfio_fsl_mc_ops", "vfio_cdx_ops", "vfio_ccw_dev_ops", "vfio_ap_matrix_dev_ops",
            "intel_vgpu_dev_ops", "mtty_dev_ops", "mdpy_dev_ops", "mbochs_dev_ops");

    /** The Java packages of the non-PCI drivers under a stage's {@code drivers} package. */
    protected static final List<String> PACKAGES = List.of("platform", "fslmc", "cdx", "ccw", "ap",
            "gvt", "mtty", "mdpy", "mbochs");

    private final StageAdapter stage;
    private final RegionInfoCopy mbochs;

    /**
     * @param stage the stage under test
     * @param mbochs how the stage's mbochs answers REGION_INFO (the one non-PCI driver that
     *     refuses a large argsz before the series)
     */
    protected NonPciDriversTests(StageAdapter stage, RegionInfoCopy mbochs) {
        this.stage = stage;
        this.mbochs = mbochs;
    }

    static List<DeviceSpec> nonPciDevices() {
        List<DeviceSpec> out = new ArrayList<>();
        for (DeviceSpec s : DeviceCatalogue.all()) {
            if (TABLES.contains(s.opsTable())) {
                out.add(s);
            }
        }
        return out;
    }

    @Nested
    class Registry {
        @Test
        void everyNonPciTableIsRegistered() {
            assertTrue(stage.opsTables().keySet().containsAll(TABLES),
                    stage.opsTables().keySet().toString());
            for (String t : TABLES) {
                assertEquals(t, stage.opsTables().get(t).tableName());
            }
        }

        @Test
        void theCatalogueCoversEveryTable() {
            List<String> covered = nonPciDevices().stream().map(DeviceSpec::opsTable).distinct().toList();
            assertEquals(TABLES, covered);
        }

        @Test
        void everyCatalogueDeviceRunsOnItsTable() {
            for (DeviceSpec spec : nonPciDevices()) {
                NonPci.Dev d = NonPci.open(stage, Arch.X86_64, spec);
                assertEquals(spec.opsTable(), stage.opsTableOf(d.file()), spec.name());
            }
        }
    }

    @Nested
    class Boot {
        static List<Arch> arches() {
            return NonPci.arches();
        }

        /**
         * Asks the way QEMU does, 32 bytes first and again with the {@code argsz} the answer
         * asked for, and then with as much room as the driver takes (mbochs refuses anything
         * over 48 before the series).
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.nonpci.NonPciDriversTests$Boot#arches")
        void everyDeviceOpensAndAnswersRegionInfoForEveryIndex(Arch arch) {
            for (DeviceSpec spec : nonPciDevices()) {
                NonPci.Dev d = NonPci.open(stage, arch, spec);
                VfioDeviceInfo info = d.info();
                int roomy = spec.opsTable().equals("mbochs_dev_ops")
                        && mbochs == RegionInfoCopy.SAMPLE_EXT_48 ? 48 : 256;
                for (long i = 0; i < info.numRegions(); i++) {
                    byte[] b = VfioRegionInfo.request(i, VfioRegionInfo.SIZE);
                    d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
                    int argsz = (int) VfioRegionInfo.decode(b, 0).argsz();
                    RegionInfoReply r = argsz > VfioRegionInfo.SIZE ? d.region(i, argsz)
                            : RegionInfoReply.decode(b);
                    assertEquals(i, r.info().index(), spec.name());
                    assertTrue(r.info().argsz() >= 32, spec.name());
                    RegionInfoReply roomyReply = d.region(i, roomy);
                    assertEquals(i, roomyReply.info().index(), spec.name());
                    assertTrue(roomyReply.info().argsz() >= 32, spec.name());
                }
                d.p().close(d.fd());
            }
        }
    }

    /**
     * Imports the stage's production classes from where its {@code Stage} was loaded (the
     * module's class directory), without resolving what they reference from the classpath: the
     * rules look only at the classes themselves and the names they call, and a classpath-wide
     * scan would take most of the suite's time budget.
     */
    protected JavaClasses importStage() {
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolve = config.resolveMissingDependenciesFromClassPath();
        config.setResolveMissingDependenciesFromClassPath(false);
        try {
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importUrl(stage.stage().getClass().getProtectionDomain().getCodeSource()
                            .getLocation());
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    @Nested
    class Rules {
        @Test
        void theStagesRulesHoldForEveryNonPciDriverPackage() {
            String root = stage.stage().packageRoot();
            JavaClasses classes = importStage();
            List<String> broken = new ArrayList<>();
            for (StageRule rule : RuleCatalogue.cumulative(stage.stage().number())) {
                RuleResult r = RuleEvaluator.evaluate(rule, root, classes);
                for (Violation v : r.violations()) {
                    for (String p : PACKAGES) {
                        if (v.className().startsWith(root + ".drivers." + p + ".")) {
                            broken.add(r.rule().id() + ": " + v);
                        }
                    }
                }
            }
            assertEquals(List.of(), broken);
        }
    }
}
