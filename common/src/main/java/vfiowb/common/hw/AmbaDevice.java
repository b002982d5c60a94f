package vfiowb.common.hw;

import java.util.List;
import vfiowb.common.Models;

/**
 * An ARM AMBA primecell: one MMIO resource ({@code adev->res}), a peripheral ID read from its
 * last registers, and its interrupts.
 */
@Models("include/linux/amba/bus.h:struct amba_device")
public class AmbaDevice extends ResourceDevice {
    private final int periphId;

    public AmbaDevice(String name, int periphId, PlatformResource res, int irqCount, SystemBus bus) {
        super(name, List.of(res), irqCount, false, bus);
        if (!res.isMmio()) {
            throw new IllegalArgumentException("an AMBA device decodes memory");
        }
        this.periphId = periphId;
        long base = res.size() - 0x20;
        if (base >= 0) {
            for (int i = 0; i < 4; i++) {
                resourceMemory(0).write(base + 4L * i, 4, (periphId >>> (8 * i)) & 0xFF);
            }
        }
    }

    /** {@code adev->periphid}, e.g. 0x00041011 for a PL011 UART. */
    public int periphId() {
        return periphId;
    }
}
