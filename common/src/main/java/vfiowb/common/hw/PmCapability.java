package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * What a function's Power Management capability (ID 0x01) says about reset: whether its
 * PMCSR has {@code PCI_PM_CTRL_NO_SOFT_RESET} set. A function with the bit clear performs an
 * internal reset on the D3hot to D0 transition, which is how {@code pci_pm_reset} resets it;
 * with the bit set the transition keeps its state and the PCI core does not offer a PM reset.
 */
@Models("drivers/pci/pci.c:pci_pm_reset")
public record PmCapability(boolean noSoftReset) {
    private static final int PMC_VERSION_3 = 0x0003;
    private static final int PM_CTRL_NO_SOFT_RESET = 0x0008;

    /** Bytes of the capability: header, PMC, PMCSR, bridge extension and data. */
    public static int length() {
        return 8;
    }

    /** The Power Management Capabilities register: version 3, no PME, no D1/D2. */
    public int pmc() {
        return PMC_VERSION_3;
    }

    /** PMCSR at power-on: D0, with {@code No_Soft_Reset} as declared. */
    public int pmcsr() {
        return noSoftReset ? PM_CTRL_NO_SOFT_RESET : 0;
    }

    /** Decodes a PMCSR as read from config space. */
    public static PmCapability ofPmcsr(int pmcsr) {
        return new PmCapability((pmcsr & PM_CTRL_NO_SOFT_RESET) != 0);
    }
}
