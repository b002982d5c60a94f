package vfiowb.wcalias.drivers.ccw;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import vfiowb.common.Models;
import vfiowb.common.hw.CcwDevice;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;

/**
 * {@code struct vfio_ccw_private}: the mediated device of one I/O subchannel: the I/O region
 * ({@code struct ccw_io_region}, 124 bytes packed), the device-specific regions registered at
 * open, the FSM state and {@code io_mutex}.
 */
@Models("drivers/s390/cio/vfio_ccw_private.h:struct vfio_ccw_private")
public final class VfioCcwPrivate extends VfioDevice {
    /** {@code enum vfio_ccw_state}. */
    enum State { NOT_OPER, STANDBY, IDLE, CP_PROCESSING, CP_PENDING }

    private final CcwDevice sch;
    final byte[] ioRegion = new byte[CcwDevice.ioRegionSize()];
    final List<VfioCcwRegion> region = new ArrayList<>();
    final ReentrantLock ioMutex = new ReentrantLock();
    State state = State.STANDBY;

    VfioCcwPrivate(VfioDeviceOps ops, CcwDevice sch, Arch arch) {
        super(ops, sch, arch);
        this.sch = sch;
    }

    /** The subchannel ({@code to_subchannel(private->vdev.dev->parent)}). */
    CcwDevice sch() {
        return sch;
    }

    /** {@code private->cmd_region}: the async region's backing, once registered. */
    byte[] cmdRegion() {
        for (VfioCcwRegion r : region) {
            if (r.subtype == vfiowb.common.uapi.VfioRegionType.VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD) {
                return r.data;
            }
        }
        throw new IllegalStateException("async command region not registered");
    }

    /** {@code private->num_regions}: device-specific regions only. */
    int numRegions() {
        return region.size();
    }
}
