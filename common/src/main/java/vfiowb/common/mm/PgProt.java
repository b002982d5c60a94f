package vfiowb.common.mm;

import vfiowb.common.Models;

/**
 * The memory type of a mapping's page protection ({@code vm_page_prot}) as the helper a driver
 * applies to it, which is all the model keeps of {@code pgprot_t}: access bits follow from the
 * VMA's flags.
 *
 * <p>{@code pgprot_decrypted} (applied by vfio-pci and {@code io_remap_pfn_range}) is a no-op
 * without memory encryption and is not modelled.
 */
@Models("include/linux/pgtable.h:pgprot_t")
public enum PgProt {
    /** {@code pgprot_noncached}: x86 UC-, arm64 Device-nGnRnE. What vfio-pci uses for BARs. */
    UC("pgprot_noncached", "UC-", "Device-nGnRnE"),
    /** {@code pgprot_writecombine}: x86 WC (with PAT), arm64 Normal-NC. */
    WC("pgprot_writecombine", "WC", "Normal-NC"),
    /**
     * The cacheable default {@code vm_get_page_prot(vm_flags)} gives every new VMA; a driver that
     * leaves {@code vm_page_prot} alone maps write-back (nvgrace usemem, kvmgt).
     */
    WB("vm_get_page_prot", "WB", "Normal"),
    /**
     * {@code pgprot_device}: arm64 Device-nGnRE (vfio-cdx). x86 has no own definition and falls
     * back to {@code pgprot_noncached}, i.e. UC-.
     */
    DEVICE("pgprot_device", "UC-", "Device-nGnRE");

    private final String kernelHelper;
    private final String x86Type;
    private final String arm64Type;

    PgProt(String kernelHelper, String x86Type, String arm64Type) {
        this.kernelHelper = kernelHelper;
        this.x86Type = x86Type;
        this.arm64Type = arm64Type;
    }

    /** The kernel function that produces this protection from {@code vm_page_prot}. */
    public String kernelHelper() {
        return kernelHelper;
    }

    /** The hardware memory type this protection selects on {@code arch}, for narration. */
    public String memoryType(Arch arch) {
        return arch == Arch.X86_64 || arch == Arch.I386 ? x86Type : arm64Type;
    }
}
