package vfiowb.wccookie.pci;

import vfiowb.common.Models;

/**
 * {@code struct vfio_pci_ioeventfd}: a write of {@code data} ({@code count} bytes) to
 * {@code pos} in BAR {@code bar}, performed when the eventfd {@code fd} is signalled. The model
 * keeps the registration only; no eventfd is ever signalled.
 */
@Models("drivers/vfio/pci/vfio_pci_priv.h:struct vfio_pci_ioeventfd")
record VfioPciIoeventfd(int bar, long pos, long data, int count, int fd) {}
