package vfiowb.wccookie.drivers.nvgracegpu;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wccookie.core.VfioDeviceOps;
import vfiowb.wccookie.pci.VfioPciCoreDevice;

/**
 * {@code struct nvgrace_gpu_pci_core_device}: vfio-pci-core's device plus the two parts of the
 * GPU's CPU-coherent memory the driver exposes as fake 64-bit BARs: usemem (cacheable, BAR4/5)
 * and, on hardware with the MIG bug, resmem (write-combining, BAR2/3).
 *
 * <p>Not modelled: {@code remap_lock} and the kernel mappings it guards (the model reads device
 * memory through the bus), the poison (memory-failure) tracking of v7.0.
 */
@Models("drivers/vfio/pci/nvgrace-gpu/main.c:struct nvgrace_gpu_pci_core_device")
public final class NvgraceGpuPciCoreDevice extends VfioPciCoreDevice {
    /**
     * {@code struct mem_region}: where one part of device memory is, how long it is, the
     * power-of-two size reported for its fake BAR and the emulated value of that BAR's
     * registers ({@code bar_val}, what the user last wrote there).
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:struct mem_region")
    public static final class MemRegion {
        private long memphys;
        private long memlength;
        private long barSize;
        private long barVal;

        /** {@code memphys}: base physical address. */
        public synchronized long memphys() {
            return memphys;
        }

        /** {@code memlength}: bytes of real memory; 0 when this part does not exist. */
        public synchronized long memlength() {
            return memlength;
        }

        /** {@code bar_size}: {@code roundup_pow_of_two} of the length, what region info reports. */
        public synchronized long barSize() {
            return barSize;
        }

        /** {@code bar_val}: the emulated 64-bit BAR register pair, as last written. */
        public synchronized long barVal() {
            return barVal;
        }

        synchronized void set(long memphys, long memlength, long barSize) {
            this.memphys = memphys;
            this.memlength = memlength;
            this.barSize = barSize;
        }

        synchronized void setBarVal(long v) {
            this.barVal = v;
        }
    }

    private final MemRegion usemem = new MemRegion();
    private final MemRegion resmem = new MemRegion();
    private boolean hasMigHwBug;
    private boolean resetDone;

    NvgraceGpuPciCoreDevice(VfioDeviceOps ops, PciFunction pdev, Arch arch) {
        super(ops, pdev, arch);
    }

    /** {@code nvdev->usemem}. */
    public MemRegion usemem() {
        return usemem;
    }

    /** {@code nvdev->resmem}. */
    public MemRegion resmem() {
        return resmem;
    }

    /** {@code nvdev->has_mig_hw_bug}. */
    public boolean hasMigHwBug() {
        return hasMigHwBug;
    }

    void setHasMigHwBug(boolean v) {
        hasMigHwBug = v;
    }

    /** {@code nvdev->reset_done}: the GPU was reset and readiness not yet seen since. */
    public synchronized boolean resetDone() {
        return resetDone;
    }

    synchronized void setResetDone(boolean v) {
        resetDone = v;
    }
}
