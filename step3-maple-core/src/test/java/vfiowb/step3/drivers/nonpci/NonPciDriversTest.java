package vfiowb.step3.drivers.nonpci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.step3.DriverRegistry;
import vfiowb.step3.core.VfioDeviceOps;

/** The ten non-PCI ops tables together: registration, member sets, booting, stage-2 rules. */
class NonPciDriversTest {
    /** kernel-facts §C.2: the members each table sets that the model has (name aside). */
    private static final Map<String, List<String>> MEMBERS = new LinkedHashMap<>();

    static {
        List<String> platform = List.of("open_device", "close_device", "read", "write", "ioctl",
                "get_region_info_caps", "mmap");
        MEMBERS.put("vfio_platform_ops", platform);
        MEMBERS.put("vfio_amba_ops", platform);
        MEMBERS.put("vfio_fsl_mc_ops", platform);
        MEMBERS.put("vfio_cdx_ops", List.of("open_device", "close_device", "ioctl",
                "get_region_info_caps", "mmap", "device_feature"));
        MEMBERS.put("vfio_ccw_dev_ops", List.of("open_device", "close_device", "read", "write", "ioctl",
                "get_region_info_caps", "request"));
        MEMBERS.put("vfio_ap_matrix_dev_ops", List.of("open_device", "close_device", "ioctl", "request"));
        MEMBERS.put("intel_vgpu_dev_ops", platform);
        MEMBERS.put("mtty_dev_ops", List.of("close_device", "read", "write", "ioctl", "get_region_info_caps"));
        MEMBERS.put("mdpy_dev_ops", List.of("read", "write", "ioctl", "get_region_info_caps", "mmap"));
        MEMBERS.put("mbochs_dev_ops", List.of("close_device", "read", "write", "ioctl",
                "get_region_info_caps", "mmap"));
    }

    static List<DeviceSpec> nonPciDevices() {
        List<DeviceSpec> out = new ArrayList<>();
        for (DeviceSpec s : DeviceCatalogue.all()) {
            if (MEMBERS.containsKey(s.opsTable())) {
                out.add(s);
            }
        }
        return out;
    }

    @Nested
    class Registry {
        @Test
        void everyNonPciTableIsRegisteredWithItsMembers() {
            Map<String, VfioDeviceOps> tables = DriverRegistry.opsTables();
            for (Map.Entry<String, List<String>> e : MEMBERS.entrySet()) {
                VfioDeviceOps ops = tables.get(e.getKey());
                List<String> set = new ArrayList<>(ops.membersSet());
                set.remove("name");
                assertEquals(e.getValue(), set, e.getKey());
            }
        }

        @Test
        void nineOfTenHaveTheRegionInfoOpSevenHaveMmap() {
            Map<String, VfioDeviceOps> tables = DriverRegistry.opsTables();
            long regionInfo = MEMBERS.keySet().stream().filter(t -> tables.get(t).getRegionInfoCaps() != null).count();
            long mmap = MEMBERS.keySet().stream().filter(t -> tables.get(t).mmap() != null).count();
            long ioctl = MEMBERS.keySet().stream().filter(t -> tables.get(t).ioctl() != null).count();
            assertEquals(9, regionInfo);
            assertEquals(7, mmap);
            assertEquals(10, ioctl);
        }

        @Test
        void theCatalogueCoversEveryTable() {
            List<String> covered = nonPciDevices().stream().map(DeviceSpec::opsTable).distinct().toList();
            assertEquals(List.copyOf(MEMBERS.keySet()), covered);
        }
    }

    @Nested
    class Boot {
        static List<Arch> arches() {
            return NonPci.arches();
        }

        @ParameterizedTest
        @MethodSource("vfiowb.step3.drivers.nonpci.NonPciDriversTest$Boot#arches")
        void everyDeviceOpensAndAnswersRegionInfoForEveryIndex(Arch arch) {
            for (DeviceSpec spec : nonPciDevices()) {
                NonPci.Dev d = NonPci.open(arch, spec);
                VfioDeviceInfo info = d.info();
                for (long i = 0; i < info.numRegions(); i++) {
                    RegionInfoReply r = d.region(i);
                    assertEquals(i, r.info().index(), spec.name());
                    assertTrue(r.info().argsz() >= 32, spec.name());
                }
                d.p().close(d.fd());
            }
        }
    }

    @Nested
    class Rules {
        /**
         * Imports the stage's production classes from where {@link DriverRegistry} was loaded
         * (the module's class directory), without resolving what they reference from the
         * classpath: the rules look only at the classes themselves and the names they call, and
         * a classpath-wide scan would take most of the suite's time budget.
         */
        private JavaClasses importStage() {
            ArchConfiguration config = ArchConfiguration.get();
            boolean resolve = config.resolveMissingDependenciesFromClassPath();
            config.setResolveMissingDependenciesFromClassPath(false);
            try {
                return new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importUrl(DriverRegistry.class.getProtectionDomain().getCodeSource().getLocation());
            } finally {
                config.setResolveMissingDependenciesFromClassPath(resolve);
            }
        }

        @Test
        void stageTwoRulesHoldForEveryNonPciDriverPackage() {
            List<String> packages = List.of("platform", "fslmc", "cdx", "ccw", "ap", "gvt", "mtty", "mdpy",
                    "mbochs");
            JavaClasses classes = importStage();
            List<String> broken = new ArrayList<>();
            for (StageRule rule : RuleCatalogue.cumulative(2)) {
                RuleResult r = RuleEvaluator.evaluate(rule, "vfiowb.step3", classes);
                for (Violation v : r.violations()) {
                    for (String p : packages) {
                        if (v.className().startsWith("vfiowb.step3.drivers." + p + ".")) {
                            broken.add(r.rule().id() + ": " + v);
                        }
                    }
                }
            }
            assertEquals(List.of(), broken);
        }
    }
}
