package vfiowb.common.stagetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The modelled {@code vfio_device_ops} tables against kernel-facts §C: all 23 upstream tables,
 * and for each exactly the members it sets, in declaration order. A stage module subclasses this
 * with the function that turns the tables as merged for v6.19 into the stage's own: that
 * function is the stage's whole difference here.
 */
public abstract class OpsTablesTests {
    /** A named table with every region path: its own or vfio-pci-core's. */
    private static final List<String> ALL = List.of("name", "open_device", "close_device", "read",
            "write", "ioctl", "get_region_info_caps", "mmap");
    /**
     * A vfio-pci based table with every region path and {@code vfio_pci_core_ioctl_feature} as
     * its {@code device_feature}.
     */
    private static final List<String> ALL_FEATURE = List.of("name", "open_device", "close_device",
            "read", "write", "ioctl", "get_region_info_caps", "mmap", "device_feature");

    /**
     * Kernel-facts §C.1 and §C.2 in their order: the members each table sets as merged for v6.19
     * (the modelled members of §E.3 only; {@code request} is modelled for the mdev drivers
     * alone). Every vfio-pci based table sets {@code device_feature} except
     * {@code qat_vf_pci_ops}, which still sets none in v6.19.
     */
    public static Map<String, List<String>> asMergedForV619() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("vfio_pci_ops", ALL_FEATURE);
        m.put("mlx5vf_pci_ops", ALL_FEATURE);
        m.put("hisi_acc_vfio_pci_migrn_ops", ALL_FEATURE);
        m.put("hisi_acc_vfio_pci_ops", ALL_FEATURE);
        m.put("nvgrace_gpu_pci_ops", ALL_FEATURE);
        m.put("nvgrace_gpu_pci_core_ops", ALL_FEATURE);
        m.put("pds_vfio_ops", ALL_FEATURE);
        m.put("qat_vf_pci_ops", ALL);
        m.put("virtiovf_vfio_pci_lm_ops", ALL_FEATURE);
        m.put("virtiovf_vfio_pci_tran_lm_ops", ALL_FEATURE);
        m.put("virtiovf_vfio_pci_ops", ALL_FEATURE);
        m.put("xe_vfio_pci_ops", ALL_FEATURE);
        m.put("ism_pci_ops", List.of("name", "open_device", "close_device", "read", "write",
                "ioctl", "get_region_info_caps", "device_feature"));
        m.put("vfio_platform_ops", ALL);
        m.put("vfio_amba_ops", ALL);
        m.put("vfio_fsl_mc_ops", ALL);
        m.put("vfio_cdx_ops", List.of("name", "open_device", "close_device", "ioctl",
                "get_region_info_caps", "mmap", "device_feature"));
        m.put("vfio_ccw_dev_ops", List.of("open_device", "close_device", "read", "write", "ioctl",
                "get_region_info_caps", "request"));
        m.put("vfio_ap_matrix_dev_ops", List.of("open_device", "close_device", "ioctl",
                "request"));
        m.put("intel_vgpu_dev_ops", List.of("open_device", "close_device", "read", "write",
                "ioctl", "get_region_info_caps", "mmap"));
        m.put("mtty_dev_ops", List.of("name", "close_device", "read", "write", "ioctl",
                "get_region_info_caps"));
        m.put("mdpy_dev_ops", List.of("read", "write", "ioctl", "get_region_info_caps", "mmap"));
        m.put("mbochs_dev_ops", List.of("close_device", "read", "write", "ioctl",
                "get_region_info_caps", "mmap"));
        return m;
    }

    private final StageAdapter stage;
    private final BiFunction<String, List<String>, List<String>> stageAdjust;

    /**
     * @param stage the stage under test
     * @param stageAdjust a table's members in this stage from its C identifier and its members
     *     as merged for v6.19
     */
    protected OpsTablesTests(StageAdapter stage,
            BiFunction<String, List<String>, List<String>> stageAdjust) {
        this.stage = stage;
        this.stageAdjust = stageAdjust;
    }

    @Test
    void allTwentyThreeTablesAreModelled() {
        assertEquals(23, asMergedForV619().size());
        assertEquals(new TreeSet<>(asMergedForV619().keySet()),
                new TreeSet<>(stage.opsTables().keySet()));
    }

    @TestFactory
    List<DynamicTest> eachTableSetsExactlyTheMembersUpstreamSets() {
        return asMergedForV619().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    StageAdapter.OpsTable t = stage.opsTables().get(e.getKey());
                    assertNotNull(t, e.getKey());
                    assertEquals(e.getKey(), t.tableName());
                    assertEquals(stageAdjust.apply(e.getKey(), e.getValue()), t.membersSet(),
                            e.getKey());
                }))
                .toList();
    }
}
