package vfiowb.wcdmabuf.pci;

import vfiowb.common.Models;

/**
 * {@code struct vfio_pci_device_ops} (include/linux/vfio_pci_core.h, v6.19): what a vfio-pci
 * based driver tells vfio-pci-core beyond its {@code vfio_device_ops}. Its one member,
 * {@code get_dmabuf_phys}, finds the physical ranges behind a dma-buf request; a device whose
 * driver sets no table cannot export dma-bufs ({@code -EOPNOTSUPP}). vfio-pci and nvgrace-gpu
 * set one in v6.19; the other variant drivers do not.
 */
@Models("include/linux/vfio_pci_core.h:struct vfio_pci_device_ops")
public final class VfioPciDeviceOps {
    /**
     * {@code get_dmabuf_phys(vdev, &provider, region_index, phys_vec, dma_ranges, nr_ranges)}:
     * 0 when every range (pairs of offset and length in {@code ranges}) lies in the region and
     * the region can be a peer-to-peer provider, else a negative errno. The model computes no
     * physical vector: nothing consumes it.
     */
    @FunctionalInterface
    public interface GetDmabufPhys {
        int getDmabufPhys(VfioPciCoreDevice vdev, int regionIndex, long[][] ranges);
    }

    private final String tableName;
    private final GetDmabufPhys getDmabufPhys;

    public VfioPciDeviceOps(String tableName, GetDmabufPhys getDmabufPhys) {
        this.tableName = tableName;
        this.getDmabufPhys = getDmabufPhys;
    }

    /** The C identifier of the table ({@code vfio_pci_dev_ops}, ...). */
    public String tableName() {
        return tableName;
    }

    /** {@code .get_dmabuf_phys}, or null. */
    public GetDmabufPhys getDmabufPhys() {
        return getDmabufPhys;
    }

    @Override
    public String toString() {
        return tableName;
    }
}
