package vfiowb.wcdmabuf.drivers.mtty;

import vfiowb.common.Models;
import vfiowb.common.hw.MttyDevice;
import vfiowb.common.mm.Arch;
import vfiowb.wcdmabuf.core.VfioDevice;
import vfiowb.wcdmabuf.core.VfioDeviceOps;

/**
 * mtty's {@code struct mdev_state}: the emulated card (config space and UARTs live in the
 * device model), the port count, the {@code dev_info} the last GET_INFO stored, and the sizes
 * region info recorded ({@code region_info[].size}).
 */
@Models("samples/vfio-mdev/mtty.c:struct mdev_state")
public final class MttyState extends VfioDevice {
    private final MttyDevice card;
    final long[] regionSize = new long[vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_REGIONS];
    /** {@code mdev_state->dev_info.num_irqs}: 0 until the first GET_INFO. */
    long devInfoNumIrqs;
    final Object opsLock = new Object();

    MttyState(VfioDeviceOps ops, MttyDevice card, Arch arch) {
        super(ops, card, arch);
        this.card = card;
    }

    MttyDevice card() {
        return card;
    }

    /** {@code mdev_state->nr_ports}. */
    int nrPorts() {
        return card.portCount();
    }
}
