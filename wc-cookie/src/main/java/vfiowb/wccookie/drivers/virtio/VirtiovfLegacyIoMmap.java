package vfiowb.wccookie.drivers.virtio;

import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR0_REGION_INDEX;

import vfiowb.common.Models;
import vfiowb.wccookie.core.VfioMmap;

/**
 * The transitional table's cookie for its emulated legacy I/O BAR0 (this series): not a
 * {@code struct vfio_pci_mmap}, since nothing of the VF's own BARs lies behind it, so
 * vfio-pci-core's mmap path never sees it. Read and write of it go to
 * {@link VirtioLegacyIo#virtiovfPciBar0Rw} at the position inside it; it is never mapped.
 * Immutable: the emulated BAR's size is fixed when the driver is bound.
 */
@Models("drivers/vfio/pci/virtio/legacy_io.c:struct virtiovf_legacy_io_mmap")
public final class VirtiovfLegacyIoMmap extends VfioMmap {
    /**
     * @param virtvdev the transitional device
     * @param size {@code bar0_virtual_buf_size}
     */
    VirtiovfLegacyIoMmap(VirtiovfPciCoreDevice virtvdev, long size) {
        super(virtvdev, VFIO_PCI_BAR0_REGION_INDEX, size);
    }

    @Override
    protected String describe() {
        return String.format("emulated legacy I/O BAR0, 0x%x bytes", size());
    }
}
