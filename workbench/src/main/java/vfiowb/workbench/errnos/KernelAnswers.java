package vfiowb.workbench.errnos;

import java.util.List;
import java.util.Set;

/**
 * What the kernel answers each {@link BadInput} with, per ops table, and the function that
 * answers it: upstream as of v6.19 (the region-info op merged, no mmap cookies), from
 * kernel-facts §D (mmap, read and write checks), §E.4 (the core's REGION_INFO) and the driver
 * sources each model class cites in its {@code @Models}. Typed in, never computed from the
 * model, so the table compares two independent answers.
 *
 * <p>Where a stage answers otherwise on purpose, a {@link Declared} says why: the earlier
 * stages model the kernel before v6.19, the later ones the series' cookie core.
 */
public final class KernelAnswers {
    /** An errno name ({@code "EINVAL"}) or {@code "ok"}, and the function that gives it. */
    public record Answer(String errno, String function) {}

    /**
     * A difference the model makes on purpose.
     *
     * @param tables the ops tables it applies to (empty: every table)
     * @param fromStage the first stage it applies to
     * @param toStage the last stage it applies to
     * @param model what the model answers there
     */
    public record Declared(BadInput input, Set<String> tables, int fromStage, int toStage,
            String model, String why) {
        boolean covers(BadInput in, String table, int stage, String answer) {
            return input == in && (tables.isEmpty() || tables.contains(table))
                    && stage >= fromStage && stage <= toStage && model.equals(answer);
        }
    }

    /** The ops tables built on vfio-pci-core whose ioctl, mmap and rw are the core's here. */
    private static final Set<String> PCI_CORE = Set.of("vfio_pci_ops", "mlx5vf_pci_ops",
            "hisi_acc_vfio_pci_migrn_ops", "hisi_acc_vfio_pci_ops", "nvgrace_gpu_pci_ops",
            "nvgrace_gpu_pci_core_ops", "pds_vfio_ops", "qat_vf_pci_ops",
            "virtiovf_vfio_pci_lm_ops", "virtiovf_vfio_pci_tran_lm_ops", "virtiovf_vfio_pci_ops",
            "xe_vfio_pci_ops");
    private static final Set<String> PLATFORM = Set.of("vfio_platform_ops", "vfio_amba_ops");
    /** Reads that turn every error of the access into -EFAULT ({@code read_err:}). */
    private static final Set<String> EFAULT_READ = Set.of("intel_vgpu_dev_ops", "mtty_dev_ops",
            "mdpy_dev_ops", "mbochs_dev_ops");
    /** The tables without an mmap op (kernel-facts §C). */
    private static final Set<String> NO_MMAP = Set.of("mtty_dev_ops", "vfio_ccw_dev_ops",
            "vfio_ap_matrix_dev_ops", "ism_pci_ops");

    private static final String STAGE1_AP = "Stage 1 models vfio-ap before v6.19: its "
            + "ioctl has no REGION_INFO case and answers -EOPNOTSUPP; since v6.19 the core "
            + "answers -EINVAL for a table without get_region_info_caps (conform declares it).";

    private static final List<Declared> DECLARED = List.of(
            new Declared(BadInput.MMAP_PAST_END, Set.of(), 3, Integer.MAX_VALUE, "ENXIO",
                    "The series: vfio_device_fops_mmap finds no cookie covering the VMA and "
                            + "answers -ENXIO (the seed's sketch) before any driver sees it; "
                            + "today the driver's range check answers -EINVAL."),
            new Declared(BadInput.MMAP_ACROSS_END, Set.of(), 3, Integer.MAX_VALUE, "ENXIO",
                    "The series: the VMA does not lie inside its cookie, -ENXIO from "
                            + "vfio_device_fops_mmap; today the driver's range check answers "
                            + "-EINVAL."),
            new Declared(BadInput.READ_NO_REGION, Set.of("intel_vgpu_dev_ops", "mtty_dev_ops",
                    "mdpy_dev_ops", "mbochs_dev_ops", "vfio_ccw_dev_ops"), 4, Integer.MAX_VALUE,
                    "EINVAL", "The series, once the driver is converted (stage 4): the core "
                            + "resolves the offset through the file's tree and answers -EINVAL "
                            + "for one no cookie covers (vfio_device_fops_read), before the "
                            + "driver's read, which turned every error into -EFAULT or (ccw) "
                            + "wrapped its index."),
            new Declared(BadInput.REGION_INFO_ARGSZ, Set.of("vfio_ap_matrix_dev_ops"), 1, 1,
                    "EOPNOTSUPP", STAGE1_AP),
            new Declared(BadInput.REGION_INFO_INDEX, Set.of("vfio_ap_matrix_dev_ops"), 1, 1,
                    "EOPNOTSUPP", STAGE1_AP),
            new Declared(BadInput.REGION_INFO_FAULT, Set.of("vfio_ap_matrix_dev_ops"), 1, 1,
                    "EOPNOTSUPP", STAGE1_AP));

    private KernelAnswers() {}

    /** The kernel's answer to {@code in} on a device of {@code table}. */
    public static Answer kernel(BadInput in, String table) {
        switch (in) {
            case REGION_INFO_ARGSZ:
                return new Answer("EINVAL", "vfio_get_region_info");
            case REGION_INFO_FAULT:
                if (table.equals("vfio_ap_matrix_dev_ops")) {
                    return new Answer("EINVAL", "vfio_get_region_info (no get_region_info_caps)");
                }
                return new Answer("EFAULT", "vfio_get_region_info (copy_from_user)");
            case REGION_INFO_INDEX:
                return new Answer("EINVAL", regionInfoOp(table));
            case GET_INFO_ARGSZ:
                return new Answer("EINVAL", ioctl(table) + " (GET_INFO)");
            case IRQ_INFO_INDEX:
                return new Answer("EINVAL", ioctl(table) + " (GET_IRQ_INFO)");
            case FEATURE_FLAGS:
                return new Answer("EINVAL", "vfio_ioctl_device_feature");
            case UNKNOWN_IOCTL:
                if (table.equals("vfio_ap_matrix_dev_ops")) {
                    return new Answer("EOPNOTSUPP", "vfio_ap_mdev_ioctl");
                }
                return new Answer("ENOTTY", ioctl(table));
            case MMAP_PRIVATE:
                if (NO_MMAP.contains(table)) {
                    return new Answer("EINVAL", "vfio_device_fops_mmap (no ops->mmap)");
                }
                if (table.equals("vfio_cdx_ops")) {
                    return new Answer("ok", "vfio_cdx_mmap (no VM_SHARED check)");
                }
                return new Answer("EINVAL", mmap(table) + " (!VM_SHARED)");
            case MMAP_PAST_END:
            case MMAP_ACROSS_END:
                if (NO_MMAP.contains(table)) {
                    return new Answer(BadInput.NOT_APPLICABLE, "(no region may be mapped)");
                }
                return new Answer("EINVAL", mmap(table) + " (range check)");
            case READ_PAST_END:
                switch (table) {
                    case "vfio_ap_matrix_dev_ops":
                        return new Answer(BadInput.NOT_APPLICABLE, "(no region)");
                    case "virtiovf_vfio_pci_tran_lm_ops":
                        return new Answer("EIO", "virtiovf_pci_bar0_rw (I/O decode off in the "
                                + "emulated command register, checked before the range)");
                    case "mtty_dev_ops":
                        return new Answer("ok", "mdev_access (no size check; handle_bar_read "
                                + "ignores a register past the UART's 8)");
                    default:
                        if (EFAULT_READ.contains(table)) {
                            return new Answer("EFAULT", rw(table) + " (any error becomes -EFAULT)");
                        }
                        return new Answer("EINVAL", rw(table) + " (past the region)");
                }
            case READ_NO_REGION:
                if (table.equals("vfio_ccw_dev_ops")) {
                    return new Answer("ok", "vfio_ccw_mdev_read (the unsigned int index of pos >> "
                            + "10 wraps to 0: the I/O region)");
                }
                if (EFAULT_READ.contains(table)) {
                    return new Answer("EFAULT", rw(table) + " (any error becomes -EFAULT)");
                }
                return new Answer("EINVAL", rw(table) + " (no such region)");
            default:
                throw new IllegalArgumentException(in.name());
        }
    }

    /** The declaration covering the model's {@code answer} at {@code stage}, or null. */
    public static Declared declared(BadInput in, String table, int stage, String answer) {
        for (Declared d : DECLARED) {
            if (d.covers(in, table, stage, answer)) {
                return d;
            }
        }
        return null;
    }

    /** Every declaration, for the table's notes. */
    public static List<Declared> declarations() {
        return DECLARED;
    }

    private static String regionInfoOp(String table) {
        if (PCI_CORE.contains(table)) {
            return "vfio_pci_ioctl_get_region_info";
        }
        if (PLATFORM.contains(table)) {
            return "vfio_platform_ioctl_get_region_info";
        }
        switch (table) {
            case "ism_pci_ops":
                return "ism_vfio_pci_ioctl_get_region_info";
            case "vfio_fsl_mc_ops":
                return "vfio_fsl_mc_ioctl_get_region_info";
            case "vfio_cdx_ops":
                return "vfio_cdx_ioctl_get_region_info";
            case "vfio_ccw_dev_ops":
                return "vfio_ccw_mdev_ioctl_get_region_info";
            case "vfio_ap_matrix_dev_ops":
                return "vfio_get_region_info (no get_region_info_caps)";
            case "intel_vgpu_dev_ops":
                return "intel_vgpu_ioctl_get_region_info";
            case "mtty_dev_ops":
                return "mtty_ioctl_get_region_info";
            case "mdpy_dev_ops":
                return "mdpy_ioctl_get_region_info";
            case "mbochs_dev_ops":
                return "mbochs_ioctl_get_region_info";
            default:
                throw new IllegalArgumentException(table);
        }
    }

    private static String ioctl(String table) {
        if (PCI_CORE.contains(table) || table.equals("ism_pci_ops")) {
            return "vfio_pci_core_ioctl";
        }
        if (PLATFORM.contains(table)) {
            return "vfio_platform_ioctl";
        }
        switch (table) {
            case "vfio_fsl_mc_ops":
                return "vfio_fsl_mc_ioctl";
            case "vfio_cdx_ops":
                return "vfio_cdx_ioctl";
            case "vfio_ccw_dev_ops":
                return "vfio_ccw_mdev_ioctl";
            case "vfio_ap_matrix_dev_ops":
                return "vfio_ap_mdev_ioctl";
            case "intel_vgpu_dev_ops":
                return "intel_vgpu_ioctl";
            case "mtty_dev_ops":
                return "mtty_ioctl";
            case "mdpy_dev_ops":
                return "mdpy_ioctl";
            case "mbochs_dev_ops":
                return "mbochs_ioctl";
            default:
                throw new IllegalArgumentException(table);
        }
    }

    private static String mmap(String table) {
        if (PCI_CORE.contains(table)) {
            return "vfio_pci_core_mmap";
        }
        if (PLATFORM.contains(table)) {
            return "vfio_platform_mmap";
        }
        switch (table) {
            case "vfio_fsl_mc_ops":
                return "vfio_fsl_mc_mmap";
            case "vfio_cdx_ops":
                return "vfio_cdx_mmap";
            case "intel_vgpu_dev_ops":
                return "intel_vgpu_mmap";
            case "mdpy_dev_ops":
                return "mdpy_mmap";
            case "mbochs_dev_ops":
                return "mbochs_mmap";
            default:
                throw new IllegalArgumentException(table);
        }
    }

    private static String rw(String table) {
        if (PCI_CORE.contains(table)) {
            return "vfio_pci_rw";
        }
        if (PLATFORM.contains(table)) {
            return "vfio_platform_read";
        }
        switch (table) {
            case "ism_pci_ops":
                return "ism_vfio_pci_rw";
            case "intel_vgpu_dev_ops":
                return "intel_vgpu_read";
            case "vfio_fsl_mc_ops":
                return "vfio_fsl_mc_read";
            case "vfio_cdx_ops":
            case "vfio_ap_matrix_dev_ops":
                return "vfio_device_fops_read (no ops->read)";
            case "vfio_ccw_dev_ops":
                return "vfio_ccw_mdev_read";
            case "mtty_dev_ops":
                return "mtty_read";
            case "mdpy_dev_ops":
                return "mdpy_read";
            case "mbochs_dev_ops":
                return "mbochs_read";
            default:
                throw new IllegalArgumentException(table);
        }
    }
}
