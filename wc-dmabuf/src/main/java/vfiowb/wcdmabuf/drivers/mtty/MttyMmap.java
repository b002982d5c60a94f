package vfiowb.wcdmabuf.drivers.mtty;

import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;

import vfiowb.common.Models;
import vfiowb.wcdmabuf.core.VfioMmap;

/**
 * {@code struct mtty_mmap} (this series, samples/vfio-mdev/mtty.c): mtty's cookie for a region
 * with bytes, the emulated config space or the I/O BAR of one serial port. mtty has no mmap, so
 * the cookie only names the region for read and write; the region index is all the sample
 * dispatches on. Immutable.
 */
@Models("samples/vfio-mdev/mtty.c:struct mtty_mmap")
public final class MttyMmap extends VfioMmap {
    MttyMmap(MttyState s, int index, long size) {
        super(s, index, size);
    }

    @Override
    protected String describe() {
        return index() == VFIO_PCI_CONFIG_REGION_INDEX ? "config space"
                : "serial port " + index() + " I/O BAR";
    }
}
