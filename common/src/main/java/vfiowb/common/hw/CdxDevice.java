package vfiowb.common.hw;

import java.util.List;
import vfiowb.common.Models;

/**
 * A function on AMD's CDX bus (FPGA-hosted): vendor and device IDs, MMIO resources in high
 * memory, and a bus-master enable the host controls (VFIO's BUS_MASTER device feature).
 */
@Models("include/linux/cdx/cdx_bus.h:struct cdx_device")
public class CdxDevice extends ResourceDevice {
    private final int vendorId;
    private final int deviceId;
    private boolean busMaster;
    private long resets;

    public CdxDevice(String name, int vendorId, int deviceId, List<PlatformResource> resources,
            int msiCount, SystemBus bus) {
        super(name, resources, msiCount, true, bus);
        this.vendorId = vendorId;
        this.deviceId = deviceId;
    }

    public int vendorId() {
        return vendorId;
    }

    public int deviceId() {
        return deviceId;
    }

    public synchronized boolean busMasterEnabled() {
        return busMaster;
    }

    /** {@code cdx_set_master} / {@code cdx_clear_master}. */
    public synchronized void setBusMaster(boolean on) {
        busMaster = on;
    }

    /** {@code cdx_dev_reset}: registers back to zero, bus mastering off. */
    public synchronized void reset() {
        for (int i = 0; i < resources().size(); i++) {
            resourceMemory(i).clear();
        }
        busMaster = false;
        resets++;
    }

    public synchronized long resetCount() {
        return resets;
    }
}
