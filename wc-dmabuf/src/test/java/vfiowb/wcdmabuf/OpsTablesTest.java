package vfiowb.wcdmabuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import vfiowb.common.stagetests.OpsTablesTests;

/**
 * After the removal every table with regions is on the cookie ops, as at stage 4, and the v6.19
 * members that decoded offsets (get_region_info_caps, mmap, read, write) no longer exist in
 * {@code struct vfio_device_ops}: no table can name them.
 */
class OpsTablesTest extends OpsTablesTests {
    /** The members in {@code struct vfio_device_ops} declaration order, as the model has them. */
    private static final List<String> ORDER = List.of("name", "open_device", "close_device",
            "ioctl", "get_region_info_obj", "mmap_obj", "read_obj", "write_obj", "ioeventfd_obj",
            "request", "device_feature");

    /** Every table with regions, and which of them take ioeventfd through the tree. */
    static final Set<String> CONVERTED = Set.of("vfio_pci_ops", "mlx5vf_pci_ops",
            "hisi_acc_vfio_pci_migrn_ops", "hisi_acc_vfio_pci_ops", "nvgrace_gpu_pci_ops",
            "nvgrace_gpu_pci_core_ops", "pds_vfio_ops", "qat_vf_pci_ops",
            "virtiovf_vfio_pci_lm_ops", "virtiovf_vfio_pci_tran_lm_ops", "virtiovf_vfio_pci_ops",
            "xe_vfio_pci_ops", "vfio_platform_ops", "vfio_amba_ops", "vfio_fsl_mc_ops",
            "vfio_cdx_ops", "vfio_ccw_dev_ops", "ism_pci_ops", "intel_vgpu_dev_ops",
            "mtty_dev_ops", "mdpy_dev_ops", "mbochs_dev_ops");
    /** nvgrace's main table answers IOEVENTFD -ENOTTY from its own ioctl, as upstream. */
    static final Set<String> IOEVENTFD = Set.of("vfio_pci_ops", "mlx5vf_pci_ops",
            "hisi_acc_vfio_pci_migrn_ops", "hisi_acc_vfio_pci_ops", "nvgrace_gpu_pci_core_ops",
            "pds_vfio_ops", "qat_vf_pci_ops", "virtiovf_vfio_pci_lm_ops",
            "virtiovf_vfio_pci_tran_lm_ops", "virtiovf_vfio_pci_ops", "xe_vfio_pci_ops",
            "ism_pci_ops");

    /**
     * The tables whose BARs map through vfio-pci-core but which set no {@code device_feature}:
     * the variant gives them one that answers only its WC features.
     */
    static final Set<String> WC_FEATURE_ONLY = Set.of("qat_vf_pci_ops");

    OpsTablesTest() {
        super(new WcDmabufAdapter(), (name, members) -> CONVERTED.contains(name)
                ? onCookieOps(members, IOEVENTFD.contains(name), WC_FEATURE_ONLY.contains(name)) : members);
    }

    static List<String> onCookieOps(List<String> members, boolean ioeventfd, boolean wcOnly) {
        List<String> out = new ArrayList<>();
        for (String m : ORDER) {
            boolean set = switch (m) {
                case "get_region_info_obj" -> true;
                case "mmap_obj" -> members.contains("mmap");
                case "read_obj" -> members.contains("read");
                case "write_obj" -> members.contains("write");
                case "ioeventfd_obj" -> ioeventfd;
                case "device_feature" -> members.contains(m) || wcOnly;
                default -> members.contains(m);
            };
            if (set) {
                out.add(m);
            }
        }
        return out;
    }
}
