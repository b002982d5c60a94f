package vfiowb.step3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import vfiowb.step3.core.VfioDeviceOps;

/**
 * The modelled vfio_device_ops tables against kernel-facts §C: all 23 upstream tables, and
 * for each which of ioctl, get_region_info_caps, read, write and mmap it sets.
 */
class OpsTablesTest {
    private static final List<String> ALL = List.of("ioctl", "get_region_info_caps", "read",
            "write", "mmap");
    private static final List<String> NO_MMAP = List.of("ioctl", "get_region_info_caps", "read",
            "write");

    /** The members the series adds: the cookie ops. */
    private static final List<String> OBJ = List.of("get_region_info_obj", "mmap_obj",
            "read_obj", "write_obj", "ioeventfd_obj");

    /**
     * Stage 3 converts vfio_pci_ops, and only it, to the cookie ops; every other table is as
     * kernel-facts §C lists it for v6.19.
     */
    private static final BiFunction<String, List<String>, List<String>> STAGE_ADJUST =
            (name, members) -> name.equals("vfio_pci_ops")
                    ? java.util.stream.Stream.concat(java.util.stream.Stream.of("ioctl"),
                            OBJ.stream()).toList()
                    : members;

    /** Kernel-facts §C.1 and §C.2, in their order. */
    static Map<String, List<String>> expected() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("vfio_pci_ops", ALL);
        m.put("mlx5vf_pci_ops", ALL);
        m.put("hisi_acc_vfio_pci_migrn_ops", ALL);
        m.put("hisi_acc_vfio_pci_ops", ALL);
        m.put("nvgrace_gpu_pci_ops", ALL);
        m.put("nvgrace_gpu_pci_core_ops", ALL);
        m.put("pds_vfio_ops", ALL);
        m.put("qat_vf_pci_ops", ALL);
        m.put("virtiovf_vfio_pci_lm_ops", ALL);
        m.put("virtiovf_vfio_pci_tran_lm_ops", ALL);
        m.put("virtiovf_vfio_pci_ops", ALL);
        m.put("xe_vfio_pci_ops", ALL);
        m.put("ism_pci_ops", NO_MMAP);
        m.put("vfio_platform_ops", ALL);
        m.put("vfio_amba_ops", ALL);
        m.put("vfio_fsl_mc_ops", ALL);
        m.put("vfio_cdx_ops", List.of("ioctl", "get_region_info_caps", "mmap"));
        m.put("vfio_ccw_dev_ops", NO_MMAP);
        m.put("vfio_ap_matrix_dev_ops", List.of("ioctl"));
        m.put("intel_vgpu_dev_ops", ALL);
        m.put("mtty_dev_ops", NO_MMAP);
        m.put("mdpy_dev_ops", ALL);
        m.put("mbochs_dev_ops", ALL);
        return m;
    }

    @Test
    void allTwentyThreeTablesAreModelled() {
        assertEquals(23, expected().size());
        assertEquals(new TreeSet<>(expected().keySet()),
                new TreeSet<>(DriverRegistry.opsTables().keySet()));
    }

    @Test
    void eachTableSetsExactlyTheMembersUpstreamSets() {
        Map<String, VfioDeviceOps> tables = DriverRegistry.opsTables();
        expected().forEach((name, members) -> {
            Set<String> want = new TreeSet<>(STAGE_ADJUST.apply(name, members));
            Set<String> got = new TreeSet<>(tables.get(name).membersSet());
            got.retainAll(java.util.stream.Stream.concat(ALL.stream(), OBJ.stream()).toList());
            assertEquals(want, got, name);
        });
    }
}
