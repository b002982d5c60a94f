package vfiowb.step1.drivers.fslmc;

import java.util.List;
import vfiowb.common.Models;
import vfiowb.common.hw.FslMcDevice;
import vfiowb.common.mm.Arch;
import vfiowb.step1.core.VfioDevice;
import vfiowb.step1.core.VfioDeviceOps;

/**
 * {@code struct vfio_fsl_mc_device}: the VFIO device of one DPAA2 object, with the regions
 * built at open ({@code struct vfio_fsl_mc_region}: addr, size, type bits, flags, ioaddr).
 */
@Models("drivers/vfio/fsl-mc/vfio_fsl_mc_private.h:struct vfio_fsl_mc_device")
public final class VfioFslMcDevice extends VfioDevice {
    /** {@code struct vfio_fsl_mc_region}; {@code mapped} stands for a non-NULL ioaddr. */
    static final class Region {
        final long addr;
        final long size;
        final int type;
        final long flags;
        boolean mapped;

        Region(long addr, long size, int type, long flags) {
            this.addr = addr;
            this.size = size;
            this.type = type;
            this.flags = flags;
        }
    }

    private final FslMcDevice mcDev;
    /** {@code vdev->regions}: {@code kcalloc}'d at open, freed at close. */
    List<Region> regions;
    private long resets;

    VfioFslMcDevice(VfioDeviceOps ops, FslMcDevice mcDev, Arch arch) {
        super(ops, mcDev, arch);
        this.mcDev = mcDev;
    }

    /** {@code vdev->mc_dev}. */
    FslMcDevice mcDev() {
        return mcDev;
    }

    synchronized void countReset() {
        resets++;
    }

    /** How often the object (or container) was reset through the MC. */
    public synchronized long resetCount() {
        return resets;
    }
}
