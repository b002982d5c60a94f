package vfiowb.wccookie.drivers.ccw;

import static vfiowb.common.errno.Errno.EAGAIN;
import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;

import vfiowb.common.Models;
import vfiowb.common.hw.CcwDevice;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.UserBuffer;

/**
 * drivers/s390/cio/vfio_ccw_async.c: the async command region ({@code struct ccw_cmd_region}:
 * {@code __u32 command; __u32 ret_code;}) through which userspace issues HALT and CLEAR
 * SUBCHANNEL.
 */
@Models("drivers/s390/cio/vfio_ccw_async.c")
final class VfioCcwAsync {
    private VfioCcwAsync() {}

    /** {@code vfio_ccw_async_region_ops}. */
    @Models("drivers/s390/cio/vfio_ccw_async.c:vfio_ccw_async_region_ops")
    static final VfioCcwRegion.Ops VFIO_CCW_ASYNC_REGION_OPS = new VfioCcwRegion.Ops() {
        @Override
        public long read(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count,
                long off) {
            return vfioCcwAsyncRegionRead(priv, region, buf, count, off);
        }

        @Override
        public long write(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count,
                long off) {
            return vfioCcwAsyncRegionWrite(priv, region, buf, count, off);
        }
    };

    /**
     * {@code vfio_ccw_async_region_read}: inside the 8 bytes at {@code off} of the region, under
     * {@code io_mutex}.
     */
    @Models("drivers/s390/cio/vfio_ccw_async.c:vfio_ccw_async_region_read")
    static long vfioCcwAsyncRegionRead(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf,
            long count, long off) {
        if (off + count > CcwDevice.asyncCmdRegionSize()) {
            return -EINVAL;
        }
        priv.ioMutex.lock();
        try {
            return buf.copyToUser(0, region.data, (int) off, (int) count) != 0 ? -EFAULT : count;
        } finally {
            priv.ioMutex.unlock();
        }
    }

    /**
     * {@code vfio_ccw_async_region_write}: -EAGAIN if an I/O request holds {@code io_mutex};
     * copy in, raise ASYNC_REQ, and return the request's {@code ret_code} if non-zero, else
     * the count.
     */
    @Models("drivers/s390/cio/vfio_ccw_async.c:vfio_ccw_async_region_write")
    static long vfioCcwAsyncRegionWrite(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf,
            long count, long off) {
        if (off + count > CcwDevice.asyncCmdRegionSize()) {
            return -EINVAL;
        }
        if (!priv.ioMutex.tryLock()) {
            return -EAGAIN;
        }
        try {
            if (buf.copyFromUser(region.data, (int) off, 0, (int) count) != 0) {
                return -EFAULT;
            }
            VfioCcwFsm.vfioCcwFsmEvent(priv, VfioCcwFsm.Event.ASYNC_REQ);
            int ret = (int) VfioCcwRegion.getBe32(region.data, 4);
            return ret != 0 ? ret : count;
        } finally {
            priv.ioMutex.unlock();
        }
    }

    /** {@code vfio_ccw_register_async_dev_regions}: read-write, {@code CCW_ASYNC_CMD}. */
    @Models("drivers/s390/cio/vfio_ccw_async.c:vfio_ccw_register_async_dev_regions")
    static int vfioCcwRegisterAsyncDevRegions(VfioCcwPrivate priv) {
        return VfioCcwOps.vfioCcwRegisterDevRegion(priv, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD,
                VFIO_CCW_ASYNC_REGION_OPS, CcwDevice.asyncCmdRegionSize(),
                VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE,
                new byte[CcwDevice.asyncCmdRegionSize()]);
    }
}
