package vfiowb.common.stagetests.drivers.ap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Arch;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.userspace.KernelFile;

/** vfio_ap_matrix_dev_ops through the syscall boundary: no regions, reset and the KVM plug. */
public abstract class VfioApTests {
    private final StageAdapter stage;
    /** What REGION_INFO answers for vfio-ap, which has no regions. */
    private final int regionInfoErrno;

    /**
     * @param stage the stage under test
     * @param regionInfoErrno what REGION_INFO fails with: -EOPNOTSUPP while the core's
     *     transitional fallback hands it to {@code vfio_ap_mdev_ioctl}, whose default case
     *     answers so; -EINVAL from the core once "vfio: Require drivers to implement
     *     get_region_info" lands, a userspace-visible change
     */
    protected VfioApTests(StageAdapter stage, int regionInfoErrno) {
        this.stage = stage;
        this.regionInfoErrno = regionInfoErrno;
    }

    private Dev ap() {
        return NonPci.open(stage, Arch.X86_64, "ap-matrix");
    }

    @Nested
    class OpsTable {
        /**
         * No region op of any generation: nothing for the series to convert, so the table is
         * the same at every stage and REGION_INFO keeps the core's answer for a table without
         * one.
         */
        @Test
        void noRegionOpAtAll() {
            List<String> members = stage.opsTables().get("vfio_ap_matrix_dev_ops").membersSet();
            for (String op : List.of("get_region_info_caps", "get_region_info_obj", "read", "write",
                    "mmap", "read_obj", "write_obj", "mmap_obj", "ioeventfd_obj")) {
                assertFalse(members.contains(op), op + " in " + members);
            }
            assertEquals("vfio_ap_matrix_dev_ops", stage.opsTableOf(ap().file()));
        }

        /** Without a region op the file never gets a tree of mmap cookies, whatever the stage. */
        @Test
        void theFileHasNoCookieTree() {
            Dev d = ap();
            assertEquals(-1, d.file().mmapCookieCount());
            assertEquals(regionInfoErrno, errno(() -> d.region(0)));
            assertEquals(-1, d.file().mmapCookieCount());
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
        void regionInfoFailsWithTheStagesErrnoWhateverTheArgsz() {
            Dev d = ap();
            assertEquals(regionInfoErrno, errno(() -> d.region(0)));
            assertEquals(regionInfoErrno, errno(() -> d.region(0, 8)));
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
            KernelFile file = d.file();
            assertEquals(true, stage.driverState(file, "kvm_set"));
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(1, stage.driverLong(file, "queue_resets"));
            d.p().close(d.fd());
            assertEquals(false, stage.driverState(file, "kvm_set"));
            assertEquals(2, stage.driverLong(file, "queue_resets"));
        }
    }
}
