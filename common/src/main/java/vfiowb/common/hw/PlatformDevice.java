package vfiowb.common.hw;

import java.util.List;
import vfiowb.common.Models;

/**
 * A platform device from the device tree or ACPI: a {@code compatible} string, MMIO (and
 * rarely port) resources, interrupts, and whether a reset handler exists for it (vfio-platform
 * refuses devices without one unless told not to care).
 */
@Models("include/linux/platform_device.h:struct platform_device")
public class PlatformDevice extends ResourceDevice {
    private final String compatible;
    private final boolean hasReset;

    public PlatformDevice(String name, String compatible, List<PlatformResource> resources,
            int irqCount, boolean hasReset, SystemBus bus) {
        super(name, resources, irqCount, false, bus);
        this.compatible = compatible;
        this.hasReset = hasReset;
    }

    public String compatible() {
        return compatible;
    }

    public boolean hasReset() {
        return hasReset;
    }
}
