package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * {@code struct pci_error_handlers}, the {@code err_handler} of the PCI driver bound to a
 * function: only the two members the PCI core calls around a function reset
 * ({@code pci_dev_save_and_disable} and {@code pci_dev_restore}) are modelled. A driver that
 * does not set one gets the empty default, as a NULL member in C.
 */
@Models("include/linux/pci.h:struct pci_error_handlers")
public interface PciErrorHandlers {
    /** No hooks: {@code vfio_pci_core_err_handlers} sets only {@code error_detected}. */
    PciErrorHandlers NONE = new PciErrorHandlers() {};

    /** {@code reset_prepare}: called before the reset, config space still intact. */
    default void resetPrepare(PciFunction pdev) {}

    /** {@code reset_done}: called after the reset and the restore of the saved config space. */
    default void resetDone(PciFunction pdev) {}
}
