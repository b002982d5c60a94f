package vfiowb.wcalias.drivers.ccw;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;

import java.util.OptionalInt;
import vfiowb.common.Models;
import vfiowb.common.hw.CcwDevice;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.UserBuffer;

/**
 * drivers/s390/cio/vfio_ccw_chp.c: the read-only SCHIB region (a fresh STORE SUBCHANNEL on
 * every read) and the CRW region (pops the oldest pending channel report word; reads 0 when
 * none is pending). Both refuse writes with -EINVAL.
 */
@Models("drivers/s390/cio/vfio_ccw_chp.c")
final class VfioCcwChp {
    private VfioCcwChp() {}

    /** {@code vfio_ccw_schib_region_ops}. */
    @Models("drivers/s390/cio/vfio_ccw_chp.c:vfio_ccw_schib_region_ops")
    static final VfioCcwRegion.Ops VFIO_CCW_SCHIB_REGION_OPS = new VfioCcwRegion.Ops() {
        @Override
        public long read(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count,
                long off) {
            return vfioCcwSchibRegionRead(priv, region, buf, count, off);
        }

        @Override
        public long write(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count,
                long off) {
            return -EINVAL;
        }
    };

    /** {@code vfio_ccw_crw_region_ops}. */
    @Models("drivers/s390/cio/vfio_ccw_chp.c:vfio_ccw_crw_region_ops")
    static final VfioCcwRegion.Ops VFIO_CCW_CRW_REGION_OPS = new VfioCcwRegion.Ops() {
        @Override
        public long read(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count,
                long off) {
            return vfioCcwCrwRegionRead(priv, region, buf, count, off);
        }

        @Override
        public long write(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count,
                long off) {
            return -EINVAL;
        }
    };

    /**
     * {@code vfio_ccw_schib_region_read}: {@code cio_update_schib}, then copy the SCHIB out from
     * {@code off} of the region.
     */
    @Models("drivers/s390/cio/vfio_ccw_chp.c:vfio_ccw_schib_region_read")
    static long vfioCcwSchibRegionRead(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf,
            long count, long off) {
        if (off + count > CcwDevice.schibRegionSize()) {
            return -EINVAL;
        }
        priv.ioMutex.lock();
        try {
            byte[] schib = priv.sch().storeSubchannel();
            System.arraycopy(schib, 0, region.data, 0, region.data.length);
            return buf.copyToUser(0, region.data, (int) off, (int) count) != 0 ? -EFAULT : count;
        } finally {
            priv.ioMutex.unlock();
        }
    }

    /**
     * {@code vfio_ccw_crw_region_read}: take the first queued CRW off the list, copy the region
     * out and zero its {@code crw} again.
     */
    @Models("drivers/s390/cio/vfio_ccw_chp.c:vfio_ccw_crw_region_read")
    static long vfioCcwCrwRegionRead(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf,
            long count, long off) {
        if (off + count > CcwDevice.crwRegionSize()) {
            return -EINVAL;
        }
        OptionalInt crw = priv.sch().nextCrw();
        priv.ioMutex.lock();
        try {
            if (crw.isPresent()) {
                VfioCcwRegion.putBe32(region.data, 0, crw.getAsInt() & 0xFFFF_FFFFL);
            }
            long ret = buf.copyToUser(0, region.data, (int) off, (int) count) != 0 ? -EFAULT : count;
            VfioCcwRegion.putBe32(region.data, 0, 0);
            return ret;
        } finally {
            priv.ioMutex.unlock();
        }
    }

    /** {@code vfio_ccw_register_schib_dev_regions}: read-only, {@code CCW_SCHIB}. */
    @Models("drivers/s390/cio/vfio_ccw_chp.c:vfio_ccw_register_schib_dev_regions")
    static int vfioCcwRegisterSchibDevRegions(VfioCcwPrivate priv) {
        return VfioCcwOps.vfioCcwRegisterDevRegion(priv, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_SCHIB,
                VFIO_CCW_SCHIB_REGION_OPS, CcwDevice.schibRegionSize(), VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ,
                new byte[CcwDevice.schibRegionSize()]);
    }

    /** {@code vfio_ccw_register_crw_dev_regions}: read-only, {@code CCW_CRW}. */
    @Models("drivers/s390/cio/vfio_ccw_chp.c:vfio_ccw_register_crw_dev_regions")
    static int vfioCcwRegisterCrwDevRegions(VfioCcwPrivate priv) {
        return VfioCcwOps.vfioCcwRegisterDevRegion(priv, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_CRW,
                VFIO_CCW_CRW_REGION_OPS, CcwDevice.crwRegionSize(), VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ,
                new byte[CcwDevice.crwRegionSize()]);
    }
}
