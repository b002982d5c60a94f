package vfiowb.common.conformance;

import java.util.Map;
import java.util.Set;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.uapi.VfioIndex;

/**
 * Which parts of a device's userspace interface kernel-facts §C and §D pin down exactly, so a
 * scenario knows when to assert and when only to record.
 *
 * <p>Every vfio-pci based table (§C.1) runs the region, read/write and mmap paths of
 * vfio-pci-core except where the variant driver has its own: hisi_acc's migration table for
 * BAR2, nvgrace-gpu for its fake BAR2/BAR4 and its ioctl (IOEVENTFD is -ENOTTY), the virtio
 * transitional table for its emulated legacy BAR0 and config space, and ISM for everything
 * (its own 48-bit layout, read/write, and no mmap). Everything of a non-PCI driver is its own;
 * for those only the rules of the core (vfio_main.c) and of mm are asserted.
 */
public final class DriverFacts {
    private static final Set<Long> ALL = Set.of(-1L);

    /** Region indexes a vfio-pci variant table handles itself; {@link #ALL} for every one. */
    private static final Map<String, Set<Long>> OWN_REGIONS = Map.of(
            "hisi_acc_vfio_pci_migrn_ops", Set.of((long) VfioIndex.VFIO_PCI_BAR2_REGION_INDEX),
            "nvgrace_gpu_pci_ops", Set.of((long) VfioIndex.VFIO_PCI_BAR2_REGION_INDEX,
                    (long) VfioIndex.VFIO_PCI_BAR4_REGION_INDEX),
            "virtiovf_vfio_pci_tran_lm_ops", Set.of((long) VfioIndex.VFIO_PCI_BAR0_REGION_INDEX,
                    (long) VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX),
            "ism_pci_ops", ALL);

    /** Tables whose ioctl is not vfio_pci_core_ioctl for IOEVENTFD. */
    private static final Set<String> OWN_IOEVENTFD = Set.of("nvgrace_gpu_pci_ops", "ism_pci_ops");

    /** Tables whose mmap does not refuse a private mapping (kernel-facts §D.6). */
    private static final Set<String> ACCEPTS_PRIVATE = Set.of("vfio_cdx_ops");
    /** The four tables without an mmap op (kernel-facts §C): the core refuses every mmap. */
    private static final Set<String> NO_MMAP = Set.of("mtty_dev_ops", "vfio_ccw_dev_ops",
            "vfio_ap_matrix_dev_ops", "ism_pci_ops");

    /**
     * Whether the table has an mmap op at all ({@code mmap} or, on the cookie path,
     * {@code mmap_obj}); without one {@code vfio_device_fops_mmap} answers -EINVAL first.
     */
    public static boolean hasMmap(DeviceSpec spec) {
        return !NO_MMAP.contains(spec.opsTable());
    }

    private DriverFacts() {}

    /** Whether the device is bound to a vfio-pci-core based table. */
    public static boolean vfioPciCore(DeviceSpec spec) {
        return spec instanceof PciFunctionSpec;
    }

    /**
     * Whether REGION_INFO, read/write and mmap of region {@code index} are vfio-pci-core's own
     * code (kernel-facts §0.2, §C.4, §D.2, §D.8), so its rules are asserted.
     */
    public static boolean coreRegion(DeviceSpec spec, long index) {
        if (!vfioPciCore(spec)) {
            return false;
        }
        Set<Long> own = OWN_REGIONS.get(spec.opsTable());
        return own == null || (!own.contains(index) && own != ALL);
    }

    /**
     * Whether the driver may refuse every mapping of a region it advertises as MMAP: hisi_acc's
     * migration table bounds BAR2 mappings by half the BAR without page rounding
     * ({@code hisi_acc_vfio_pci_mmap}), so where a page exceeds that half nothing maps although
     * the core reported MMAP. Such a region's mmap outcomes are recorded, not asserted.
     */
    public static boolean mayRefuseAdvertisedMmap(DeviceSpec spec, long index) {
        return "hisi_acc_vfio_pci_migrn_ops".equals(spec.opsTable())
                && index == VfioIndex.VFIO_PCI_BAR2_REGION_INDEX;
    }

    /** Whether VFIO_DEVICE_IOEVENTFD reaches vfio-pci-core's decoding. */
    public static boolean coreIoeventfd(DeviceSpec spec) {
        return vfioPciCore(spec) && !OWN_IOEVENTFD.contains(spec.opsTable());
    }

    /**
     * Whether mmap of region {@code index} refuses a mapping without {@code VM_SHARED}: true for
     * vfio-pci-core, platform, amba, fsl-mc, kvmgt, mdpy and mbochs; not for cdx (no check) nor
     * nvgrace-gpu's own fake-BAR mmap.
     */
    public static boolean refusesPrivate(DeviceSpec spec, long index) {
        if (vfioPciCore(spec)) {
            return coreRegion(spec, index)
                    || "hisi_acc_vfio_pci_migrn_ops".equals(spec.opsTable());
        }
        return !ACCEPTS_PRIVATE.contains(spec.opsTable());
    }

    /**
     * Whether clearing PCI_COMMAND.MEMORY stops BAR access ({@code __vfio_pci_memory_enabled}):
     * not for an SR-IOV VF, whose memory decode the kernel treats as always on.
     */
    public static boolean memoryEnableGates(DeviceSpec spec) {
        return spec instanceof PciFunctionSpec && !((PciFunctionSpec) spec).virtfn();
    }

    /** The spec's PCI class is VGA-compatible (0x0300xx): vfio-pci then exposes the VGA region. */
    public static boolean isVgaClass(DeviceSpec spec) {
        return spec instanceof PciFunctionSpec && ((PciFunctionSpec) spec).classCode() >> 8 == 0x0300;
    }
}
