package vfiowb.common.hw;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;

/**
 * The part of drivers/pci/msi that vfio-pci asks about: whether MSI-X vectors can be added to
 * a function while MSI-X is enabled. That is a property of the function (it must have MSI-X)
 * and of the platform's PCI/MSI interrupt domain, which must support
 * {@code MSI_FLAG_PCI_MSIX_ALLOC_DYN}:
 * <ul>
 * <li>x86 (64- and 32-bit): the vector domain's {@code X86_VECTOR_MSI_FLAGS_SUPPORTED} includes
 *     it, and so do the Intel and AMD interrupt-remapping parents built on it; the real-kernel
 *     transcript of virtio-net (MSI-X) on q35 with an Intel IOMMU shows it (no NORESIZE);</li>
 * <li>arm64: the GICv3 ITS parent's {@code ITS_MSI_FLAGS_SUPPORTED} lacks it.</li>
 * </ul>
 * The model takes the arch for the platform: an x86 machine has the vector domain, an arm64
 * one a GICv3 ITS (other MSI controllers are not modelled).
 */
@Models("drivers/pci/msi/api.c")
public final class PciMsi {
    private PciMsi() {}

    /** {@code pci_msix_can_alloc_dyn}: false without MSI-X, else whether the domain supports it. */
    @Models("drivers/pci/msi/api.c:pci_msix_can_alloc_dyn")
    public static boolean pciMsixCanAllocDyn(PciFunction pdev, Arch arch) {
        if (pdev.msixCap() == 0) {
            return false;
        }
        return pciMsiDomainSupportsDynMsix(arch);
    }

    /**
     * {@code pci_msi_domain_supports(dev, MSI_FLAG_PCI_MSIX_ALLOC_DYN, DENY_LEGACY)} on the
     * platform the arch stands for.
     */
    @Models("drivers/pci/msi/irqdomain.c:pci_msi_domain_supports")
    static boolean pciMsiDomainSupportsDynMsix(Arch arch) {
        switch (arch) {
            case X86_64:
            case I386:
                return true;
            case ARM64_4K:
            case ARM64_64K:
                return false;
            default:
                throw new IllegalStateException("no MSI domain modelled for " + arch);
        }
    }
}
