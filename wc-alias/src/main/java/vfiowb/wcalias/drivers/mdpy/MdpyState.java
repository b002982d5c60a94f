package vfiowb.wcalias.drivers.mdpy;

import vfiowb.common.Models;
import vfiowb.common.hw.MdpyDevice;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;

/**
 * mdpy's {@code struct mdev_state}: the display type, the {@code vmalloc_user} framebuffer
 * ({@code memblk}, in the device model) of {@code memsize} bytes, the config space and the
 * {@code dev_info} the last GET_INFO stored.
 */
@Models("samples/vfio-mdev/mdpy.c:struct mdev_state")
public final class MdpyState extends VfioDevice {
    private final MdpyDevice display;
    /** {@code mdev_state->dev_info.num_irqs}: 0 until the first GET_INFO. */
    long devInfoNumIrqs;
    final Object opsLock = new Object();

    MdpyState(VfioDeviceOps ops, MdpyDevice display, Arch arch) {
        super(ops, display, arch);
        this.display = display;
    }

    MdpyDevice display() {
        return display;
    }

    /** {@code mdev_state->memsize}. */
    long memsize() {
        return display.memsize();
    }
}
