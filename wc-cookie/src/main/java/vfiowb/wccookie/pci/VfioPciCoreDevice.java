package vfiowb.wccookie.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.VfioPciConfig;
import vfiowb.common.mm.Arch;
import vfiowb.wccookie.core.VfioDevice;
import vfiowb.wccookie.core.VfioDeviceOps;

/**
 * {@code struct vfio_pci_core_device} (include/linux/vfio_pci_core.h): vfio-pci-core's state
 * for one function. Variant drivers subclass it as they embed it in C.
 */
@Models("include/linux/vfio_pci_core.h:struct vfio_pci_core_device")
public class VfioPciCoreDevice extends VfioDevice {
    /** {@code PCI_STD_NUM_BARS}. */
    public static final int PCI_STD_NUM_BARS = 6;
    /** {@code VFIO_PCI_IOEVENTFD_MAX}. */
    static final int VFIO_PCI_IOEVENTFD_MAX = 1000;

    private final PciFunction pdev;
    final boolean[] barmap = new boolean[PCI_STD_NUM_BARS];
    final boolean[] barMmapSupported = new boolean[PCI_STD_NUM_BARS];
    final List<VfioPciRegion> region = new ArrayList<>();
    final List<VfioPciIoeventfd> ioeventfdsList = new ArrayList<>();
    /** {@code vdev->dummy_resources_list}: start addresses of "vfio sub-page reserved" claims. */
    final List<Long> dummyResources = new ArrayList<>();
    /** {@code memory_lock}: readers are accesses and faults; writers change decode or reset. */
    final ReentrantReadWriteLock memoryLock = new ReentrantReadWriteLock();
    int msixBar = 0xff;
    long msixOffset;
    long msixSize;
    /** {@code vdev->has_dyn_msix}: MSI-X vectors can be added while MSI-X is enabled. */
    boolean hasDynMsix;
    boolean hasVga;
    boolean resetWorks;
    VfioPciConfig config;
    /** {@code vdev->pm_runtime_engaged}: the user asked for low power (LOW_POWER_ENTRY). */
    boolean pmRuntimeEngaged;
    /** {@code vdev->pm_wake_eventfd_ctx}: the eventfd of LOW_POWER_ENTRY_WITH_WAKEUP, or -1. */
    int pmWakeEventfd = -1;
    /** {@code vdev->vf_token}: the VF token UUID of an SR-IOV PF, null for any other function. */
    byte[] vfToken;
    /** {@code vdev->pci_ops}: set by vfio-pci and nvgrace-gpu for dma-buf export, else null. */
    VfioPciDeviceOps pciOps;

    public VfioPciCoreDevice(VfioDeviceOps ops, PciFunction pdev, Arch arch) {
        super(ops, pdev, arch);
        this.pdev = pdev;
        vfioPciVfInit();
    }

    /**
     * {@code vfio_pci_vf_init} (from {@code vfio_pci_core_register_device}): an SR-IOV PF gets
     * a VF token, which starts as the null UUID; a VF or any other function none. The PF's
     * bus notifier and the VFs' lookup of their PF are not modelled.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_vf_init")
    private void vfioPciVfInit() {
        if (pdev.isPhysfn()) {
            vfToken = new byte[16];
        }
    }

    /** Sets {@code vdev->pci_ops}, as a driver's probe does before registering. */
    public final void setPciOps(VfioPciDeviceOps ops) {
        pciOps = ops;
    }

    /** {@code vdev->pci_ops}, or null. */
    public final VfioPciDeviceOps pciOps() {
        return pciOps;
    }

    /** {@code vdev->pdev}. */
    public final PciFunction pdev() {
        return pdev;
    }

    /** {@code vdev->num_regions}: device-specific regions registered after index 8. */
    public final int numRegions() {
        return region.size();
    }

    /** {@code vdev->region[i]}. */
    public final VfioPciRegion region(int i) {
        return region.get(i);
    }

    /** {@code vdev->msix_bar}, or 0xff when the function has no MSI-X. */
    public final int msixBar() {
        return msixBar;
    }

    /** The virtualised config space ({@code vdev->vconfig} and its handlers). */
    public final VfioPciConfig config() {
        return config;
    }

    /** {@code vdev->memory_lock}. */
    public final ReentrantReadWriteLock memoryLock() {
        return memoryLock;
    }

    /** Number of ioeventfds registered ({@code vdev->ioeventfds_nr}). */
    public final int ioeventfdsNr() {
        return ioeventfdsList.size();
    }
}
