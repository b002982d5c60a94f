package vfiowb.step5.drivers.platform;

import java.util.List;
import vfiowb.common.Models;
import vfiowb.common.hw.ResourceDevice;
import vfiowb.common.mm.Arch;
import vfiowb.step5.core.VfioDevice;
import vfiowb.step5.core.VfioDeviceOps;

/**
 * {@code struct vfio_platform_device}: what vfio-platform and vfio-amba keep for one bound device.
 * The bus glue ({@code get_resource}, {@code flags}, {@code reset_required}) comes from
 * vfio_platform.c or vfio_amba.c; regions and interrupts are built at open and dropped at close.
 */
@Models("drivers/vfio/platform/vfio_platform_private.h:struct vfio_platform_device")
public final class VfioPlatformDevice extends VfioDevice {
    /** An {@code of_reset} handler ({@code vfio_platform_reset_fn_t}). */
    @FunctionalInterface
    interface ResetFn {
        int reset(VfioPlatformDevice vdev);
    }

    /**
     * One interrupt as {@code vfio_platform_irq_init} describes it, with the name it
     * {@code kasprintf}s for {@code request_irq}.
     */
    record Irq(long flags, long count, String name) {}

    private final ResourceDevice hw;
    private final String compat;
    final boolean resetRequired;
    long flags;
    ResetFn ofReset;
    /** {@code vdev->regions}: {@code kcalloc}'d at open, freed at close. */
    List<VfioPlatformRegion> regions;
    int numRegions;
    /** {@code vdev->irqs}: {@code kcalloc}'d at open, freed at close. */
    List<Irq> irqs;
    int numIrqs;
    private long resets;

    VfioPlatformDevice(VfioDeviceOps ops, ResourceDevice hw, Arch arch, String compat,
            long flags, boolean resetRequired) {
        super(ops, hw, arch);
        this.hw = hw;
        this.compat = compat;
        this.flags = flags;
        this.resetRequired = resetRequired;
    }

    /** The platform device or primecell bound. */
    ResourceDevice hw() {
        return hw;
    }

    /** {@code vdev->compat}: the firmware's compatible string. */
    String compat() {
        return compat;
    }

    /** {@code vdev->get_resource(vdev, i) != NULL}: how many resources the device has. */
    int resourceCount() {
        return hw.resources().size();
    }

    void countReset() {
        synchronized (this) {
            resets++;
        }
    }

    /** How often a reset handler ran (open, close, VFIO_DEVICE_RESET), for observers. */
    public long resetCount() {
        synchronized (this) {
            return resets;
        }
    }
}
