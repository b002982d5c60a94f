package vfiowb.wcdmabuf.pci;

import vfiowb.common.Models;
import vfiowb.common.mm.VmArea;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.userspace.UserBuffer;

/**
 * {@code struct vfio_pci_region}: a device-specific region (index 9 and up) registered with
 * {@code vfio_pci_core_register_dev_region()}, described to userspace by a TYPE capability.
 *
 * @param type {@code VFIO_REGION_TYPE_*} (with the PCI vendor bit for vendor types)
 * @param subtype the vendor- or type-specific subtype
 * @param ops the region's callbacks
 * @param size the region's size in bytes
 * @param flags {@code VFIO_REGION_INFO_FLAG_*}
 * @param data driver data ({@code region->data})
 */
@Models("include/linux/vfio_pci_core.h:struct vfio_pci_region")
public record VfioPciRegion(int type, int subtype, Ops ops, long size, int flags, Object data) {

    /** {@code struct vfio_pci_regops}. Members may be left at their defaults (NULL in C). */
    public interface Ops {
        /**
         * {@code rw}: read or write at {@code pos} inside {@code region}. In v6.19 the op got
         * the whole file offset and found its own slot and position from the 40-bit layout;
         * this series hands it the region the file's cookie names and the position inside it.
         */
        long rw(VfioPciCoreDevice vdev, VfioPciRegion region, UserBuffer buf, long count,
                long pos, boolean iswrite);

        /** {@code mmap}; null in C for every upstream region. */
        default Mmap mmap() {
            return null;
        }

        /** {@code add_capability}: more capabilities after the TYPE one. */
        default int addCapability(VfioPciCoreDevice vdev, VfioPciRegion region,
                VfioInfoCap caps) {
            return 0;
        }

        /** {@code release}: called from {@code vfio_pci_core_disable}. */
        default void release(VfioPciCoreDevice vdev, VfioPciRegion region) {}
    }

    /** {@code int (*mmap)(vdev, region, vma)}. */
    @FunctionalInterface
    public interface Mmap {
        int mmap(VfioPciCoreDevice vdev, VfioPciRegion region, VmArea vma);
    }
}
