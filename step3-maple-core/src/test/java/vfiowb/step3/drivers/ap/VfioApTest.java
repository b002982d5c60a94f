package vfiowb.step3.drivers.ap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.step3.drivers.nonpci.NonPci.errno;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.step3.drivers.nonpci.NonPci;
import vfiowb.step3.drivers.nonpci.NonPci.Dev;

class VfioApTest {
    private static Dev ap() {
        return NonPci.open(Arch.X86_64, "ap-matrix");
    }

    @Nested
    class OpsTable {
        @Test
        void noRegionOpAtAll() {
            assertEquals(List.of("open_device", "close_device", "ioctl", "request"),
                    VfioApOps.VFIO_AP_MATRIX_DEV_OPS.membersSet());
            assertNull(VfioApOps.VFIO_AP_MATRIX_DEV_OPS.getRegionInfoCaps());
        }
    }

    @Nested
    class GetInfo {
        @Test
        void apWithResetNoRegionsTwoIrqs() {
            VfioDeviceInfo info = ap().info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_AP | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET, info.flags());
            assertEquals(0, info.numRegions());
            assertEquals(2, info.numIrqs());
        }

        @Test
        void shortArgszIsEinvalShortBufferEfault() {
            Dev d = ap();
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                    VfioDeviceInfo.of(4, 0, 0, 0, 0).encode())));
            assertEquals(Errno.EFAULT, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                    new byte[2])));
        }

        @Test
        void reqAndCfgChgIrqs() {
            Dev d = ap();
            for (int i = 0; i < 2; i++) {
                assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, d.irq(i).flags());
                assertEquals(1, d.irq(i).count());
            }
            assertEquals(Errno.EINVAL, errno(() -> d.irq(2)));
        }

        @Test
        void otherIoctlsAreEopnotsupp() {
            Dev d = ap();
            assertEquals(Errno.EOPNOTSUPP, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_SET_IRQS,
                    new byte[20])));
        }
    }

    @Nested
    class NoRegions {
        @Test
        void coreAnswersRegionInfoWithEinval() {
            Dev d = ap();
            assertEquals(Errno.EINVAL, errno(() -> d.region(0)));
        }

        @Test
        void noReadWriteOrMmap() {
            Dev d = ap();
            assertEquals(Errno.EINVAL, errno(() -> d.read(0, 4)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(0, new byte[4])));
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, 0)));
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void openPlugsCloseUnplugsAndResets() {
            Dev d = ap();
            ApMatrixMdev mdev = (ApMatrixMdev) d.vdev();
            assertTrue(mdev.kvmSet());
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(1, mdev.queueResets());
            d.p().close(d.fd());
            assertFalse(mdev.kvmSet());
            assertEquals(2, mdev.queueResets());
        }
    }
}
