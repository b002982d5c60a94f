package vfiowb.common.stagetests.drivers.ccw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.CcwDevice;
import vfiowb.common.mm.Arch;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.UserFaults;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/** vfio_ccw_dev_ops through the syscall boundary: the I/O, async, SCHIB and CRW regions. */
public abstract class VfioCcwTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
    private static final int RET_CODE = 120;

    private final StageAdapter stage;

    protected VfioCcwTests(StageAdapter stage) {
        this.stage = stage;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private Dev ccw() {
        return NonPci.open(stage, Arch.X86_64, "ccw-subchannel");
    }

    /** Region {@code index}'s file offset as REGION_INFO reports it. */
    private static long offset(Dev d, long index) {
        return d.region(index).info().offset();
    }

    private static long io(Dev d) {
        return offset(d, 0);
    }

    private static long async(Dev d) {
        return offset(d, 1);
    }

    private static long schib(Dev d) {
        return offset(d, 2);
    }

    private static long crw(Dev d) {
        return offset(d, 3);
    }

    /**
     * A file offset no region covers: where a fifth region would sit, as far past the CRW region
     * as it is past the SCHIB region ({@code 4 << 10} in the driver's own layout,
     * {@code 4 << 40} in the core's legacy one).
     */
    private static long pastTheRegions(Dev d) {
        return crw(d) + (crw(d) - schib(d));
    }

    /** Whether the device's file keeps a tree of cookies (the cookie path, stage 4 on). */
    private static boolean cookiePath(Dev d) {
        return d.file().mmapCookieCount() >= 0;
    }

    private static long be32(byte[] b, int off) {
        return (b[off] & 0xFFL) << 24 | (b[off + 1] & 0xFFL) << 16 | (b[off + 2] & 0xFFL) << 8 | (b[off + 3] & 0xFFL);
    }

    private static void putBe32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** A full I/O region with the given SCSW function-control byte and ORB byte 5. */
    private static byte[] ioRequest(int fctlByte, int orbByte5, long retCode) {
        byte[] io = new byte[124];
        io[5] = (byte) orbByte5;
        io[12 + 2] = (byte) fctlByte;
        putBe32(io, RET_CODE, retCode);
        return io;
    }

    @Nested
    class OpsTable {
        @Test
        void noMmapNoName() {
            List<String> members = stage.opsTables().get("vfio_ccw_dev_ops").membersSet();
            assertFalse(members.contains("mmap"), members.toString());
            assertFalse(members.contains("mmap_obj"), members.toString());
            assertFalse(members.contains("name"), members.toString());
            assertEquals("vfio_ccw_dev_ops", stage.opsTableOf(ccw().file()));
        }
    }

    @Nested
    class GetInfo {
        @Test
        void ccwWithResetFourRegionsThreeIrqs() {
            VfioDeviceInfo info = ccw().info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_CCW | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET, info.flags());
            assertEquals(4, info.numRegions());
            assertEquals(3, info.numIrqs());
        }

        @Test
        void shortArgszIsEinval() {
            Dev d = ccw();
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                    VfioDeviceInfo.of(12, 0, 0, 0, 0).encode())));
        }

        @Test
        void threeEventfdIrqIndexes() {
            Dev d = ccw();
            for (int i = 0; i < 3; i++) {
                VfioIrqInfo irq = d.irq(i);
                assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, irq.flags());
                assertEquals(1, irq.count());
            }
            assertEquals(Errno.EINVAL, errno(() -> d.irq(3)));
        }

        /**
         * vfio_ccw_mdev_get_device_info and vfio_ccw_mdev_get_irq_info's callers end in
         * {@code copy_to_user(arg, &info, minsz) ? -EFAULT : 0}: an argument in read-only user
         * memory is read (argsz, index) and the answer's copy faults.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            assertArrayEquals(new int[] {Errno.EFAULT, Errno.EFAULT}, UserFaults.infoIntoReadOnlyMemory(ccw(), 0));
        }

        /**
         * The FSM is IDLE again after the reset: only IDLE starts an I/O request (-EAGAIN while
         * processing, -EBUSY while pending, -EIO otherwise).
         */
        @Test
        void resetReopensTheSubchannel() {
            Dev d = ccw();
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(124, d.write(io(d), ioRequest(0x40, 0, 0)));
            assertEquals(0, be32(d.read(io(d), 124), RET_CODE));
        }

        /**
         * Close leaves the FSM in STANDBY (from NOT_OPER a reopen fails with -EINVAL) and the
         * device regions unregistered: the reopen registers exactly three again and the FSM is
         * IDLE.
         */
        @Test
        void closeLeavesStandbyAndReopenRegistersTheRegionsAgain() {
            Dev d = ccw();
            d.p().close(d.fd());
            Dev again = d.withFd(d.p().open(d.name()));
            assertEquals(4, again.info().numRegions());
            assertEquals(Errno.EINVAL, errno(() -> again.region(4)));
            assertEquals(124, again.write(io(again), ioRequest(0x40, 0, 0)));
            assertEquals(0, be32(again.read(io(again), 124), RET_CODE));
        }
    }

    @Nested
    class RegionInfo {
        /**
         * Flags, sizes and capabilities. The offsets are the driver's (I/O region at 0, the
         * others at {@code index << 10}) before the cookie path, the core's (page aligned,
         * apart from the I/O region) on it.
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.ccw.VfioCcwTests#arches")
        void ioRegionAndTheOthersWithCapType(Arch arch) {
            Dev d = NonPci.open(stage, arch, "ccw-subchannel");
            RegionInfoReply io = d.region(0);
            assertEquals(R | W, io.info().flags());
            assertEquals(124, io.info().size());
            assertEquals(0, io.info().offset() % arch.pageSize());
            assertTrue(io.caps().isEmpty());

            long[][] expect = {
                {1, R | W | CAPS, 8, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD},
                {2, R | CAPS, 52, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_SCHIB},
                {3, R | CAPS, 8, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_CRW},
            };
            for (long[] e : expect) {
                RegionInfoReply r = d.region(e[0]);
                assertEquals(e[1], r.info().flags());
                assertEquals(e[2], r.info().size());
                if (cookiePath(d)) {
                    assertEquals(0, r.info().offset() % arch.pageSize(), "offset of region " + e[0]);
                    assertTrue(Long.compareUnsigned(r.info().offset(), io(d) + 124) >= 0
                            || Long.compareUnsigned(r.info().offset() + e[2], io(d)) <= 0,
                            "region " + e[0] + " overlaps the I/O region");
                } else {
                    assertEquals(e[0] << 10, r.info().offset());
                }
                assertEquals(32, r.info().capOffset());
                assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_CCW, e[3])), r.caps());
            }
        }

        /**
         * vfio_device_get_region_info copies the user's whole head in, offset included;
         * vfio_ccw_mdev_ioctl_get_region_info sets the I/O region's offset itself.
         */
        @Test
        void theIoRegionsOffsetIsTheDriversWhateverTheUserPassedIn() {
            Dev d = ccw();
            long expected = io(d);
            byte[] buf = VfioRegionInfo.request(0, 32);
            vfiowb.common.uapi.LE.putU64(buf, 24, 0x7700_0000_0000L);
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            assertEquals(expected, RegionInfoReply.decode(buf).info().offset());
        }

        @Test
        void smallBufferGetsTheSizeToRetryWith() {
            RegionInfoReply r = ccw().region(2, 32);
            assertTrue(r.needsLargerBuffer());
            assertEquals(48, r.info().argsz());
            assertEquals(52, r.info().size());
        }

        @Test
        void indexPastTheRegionsIsEinval() {
            assertEquals(Errno.EINVAL, errno(() -> ccw().region(4)));
        }
    }

    @Nested
    class IoRegion {
        @Test
        void readsBackWhatWasWritten() {
            Dev d = ccw();
            byte[] orb = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            assertEquals(12, d.write(io(d), orb));
            assertArrayEquals(orb, d.read(io(d), 12));
        }

        @Test
        void startSubchannelSucceeds() {
            Dev d = ccw();
            assertEquals(124, d.write(io(d), ioRequest(0x40, 0, 0)));
            assertEquals(0, be32(d.read(io(d), 124), RET_CODE));
            assertEquals(124, d.write(io(d), ioRequest(0x40, 0, 0)), "IDLE again: a second start runs");
            assertEquals(0, be32(d.read(io(d), 124), RET_CODE));
        }

        /**
         * fsm_io_request stores the outcome of a START in {@code io_region->ret_code}
         * (0 from fsm_io_helper when the SSCH is accepted), over whatever userspace left in
         * the field; vfio_ccw_mdev_write_io_region then returns the count.
         */
        @Test
        void aStartOverwritesTheRetCodeUserspaceWrote() {
            Dev d = ccw();
            assertEquals(124, d.write(io(d), ioRequest(0x40, 0, -Errno.EIO)));
            assertEquals(0, be32(d.read(io(d), 124), RET_CODE));
        }

        @Test
        void transportModeIsEopnotsuppInRetCode() {
            Dev d = ccw();
            assertEquals(Errno.EOPNOTSUPP, errno(() -> d.write(io(d), ioRequest(0x40, 0x04, 0))));
            assertEquals(-Errno.EOPNOTSUPP, (int) be32(d.read(io(d), 124), RET_CODE));
        }

        @Test
        void haltAndClearBelongToTheAsyncRegion() {
            Dev d = ccw();
            assertEquals(Errno.EOPNOTSUPP, errno(() -> d.write(io(d), ioRequest(0x20, 0, 0))));
            assertEquals(Errno.EOPNOTSUPP, errno(() -> d.write(io(d), ioRequest(0x10, 0, 0))));
        }

        @Test
        void withoutAFunctionTheWrittenRetCodeIsReturned() {
            Dev d = ccw();
            assertEquals(Errno.EIO, errno(() -> d.write(io(d), ioRequest(0, 0, -Errno.EIO))));
            assertEquals(124, d.write(io(d), ioRequest(0, 0, 0)));
        }

        @Test
        void accessPastTheRegionIsEinval() {
            Dev d = ccw();
            long io = io(d);
            assertEquals(Errno.EINVAL, errno(() -> d.read(io + 120, 8)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(io(d), new byte[125])));
        }

        /**
         * vfio_ccw_mdev_read keeps the index in an {@code unsigned int}, so the driver's own
         * layout repeats every 4 TiB. On the cookie path the core resolves the offset and the
         * alias is gone: nothing lies 4 TiB past a region.
         */
        @Test
        void offsetsAliasEveryFourTebibytesOnlyInTheDriversLayout() {
            Dev d = ccw();
            d.write(io(d), new byte[] {0x5a});
            long io = io(d);
            long schib = schib(d);
            if (cookiePath(d)) {
                assertEquals(Errno.EINVAL, errno(() -> d.read(io + (1L << 42), 1)));
                assertEquals(Errno.EINVAL, errno(() -> d.read(io + (5L << 42), 1)));
                assertEquals(Errno.EINVAL, errno(() -> d.read(schib + (1L << 42), 52)));
            } else {
                assertEquals(0x5a, d.read(io + (1L << 42), 1)[0]);
                assertEquals(0x5a, d.read(io + (5L << 42), 1)[0]);
                assertEquals(52, d.read(schib + (1L << 42), 52).length);
            }
        }

        /**
         * A region's offset is the same for every file of the device: upstream the I/O region
         * is at 0 and the others at {@code VFIO_CCW_INDEX_TO_OFFSET(index)}, and on the cookie
         * path the default policy (legacy layout, cookies made at open for the
         * {@code nr_regions} vfio_ccw_mdev_open_device sets) places each file's cookies alike.
         * So a second file reads the I/O and SCHIB regions at the offsets the first was told,
         * without asking REGION_INFO.
         */
        @Test
        void aSecondFileReachesTheRegionsWithoutAskingForTheirOffsets() {
            Dev d = ccw();
            d.write(io(d), new byte[] {0x5a});
            long io = io(d);
            long schib = schib(d);
            Dev second = d.withFd(d.p().open(d.name()));
            assertEquals(0x5a, second.read(io, 1)[0]);
            assertArrayEquals(((CcwDevice) d.hw()).storeSubchannel(), second.read(schib, 52));
        }

        @Test
        void offsetPastEveryRegionIsEinval() {
            Dev d = ccw();
            long past = pastTheRegions(d);
            assertEquals(Errno.EINVAL, errno(() -> d.read(past, 4)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(past, new byte[4])));
        }
    }

    /**
     * Every region access takes {@code io_mutex} and releases it (vfio_ccw_mdev_read_io_region,
     * vfio_ccw_mdev_write_io_region, vfio_ccw_async_region_read/write,
     * vfio_ccw_schib_region_read, vfio_ccw_crw_region_read); a copy that faults is -EFAULT
     * before any request is raised.
     */
    @Nested
    class IoMutexAndFaults {
        /** An I/O request with no function from another thread: its count, or -errno. */
        private long requestFromAnotherThread(Dev d) throws InterruptedException {
            long at = io(d);
            long[] result = new long[1];
            Thread t = new Thread(() -> {
                try {
                    result[0] = d.write(at, ioRequest(0, 0, 0));
                } catch (vfiowb.common.errno.ErrnoException e) {
                    result[0] = -e.errno();
                }
            });
            t.start();
            t.join(10_000);
            return result[0];
        }

        @Test
        void theMutexIsFreeAfterEveryRegionAccess() throws InterruptedException {
            Dev d = ccw();
            d.read(io(d), 12);
            assertEquals(124, requestFromAnotherThread(d), "after an I/O region read");
            assertEquals(124, d.write(io(d), ioRequest(0, 0, 0)));
            assertEquals(124, requestFromAnotherThread(d), "after an I/O region write");
            byte[] halt = new byte[8];
            putBe32(halt, 0, 1);
            assertEquals(8, d.write(async(d), halt));
            assertEquals(124, requestFromAnotherThread(d), "after an async write");
            d.read(async(d), 8);
            assertEquals(124, requestFromAnotherThread(d), "after an async read");
            d.read(schib(d), 52);
            assertEquals(124, requestFromAnotherThread(d), "after a SCHIB read");
            d.read(crw(d), 8);
            assertEquals(124, requestFromAnotherThread(d), "after a CRW read");
        }

        /**
         * vfio_ccw_mdev_write_io_region and vfio_ccw_async_region_write take {@code io_mutex}
         * with mutex_trylock before copying the request in, and answer -EAGAIN when another
         * request holds it. Here the first request's buffer is userfaultfd memory whose fault
         * the process has not resolved yet, so that request sits in copy_from_user holding the
         * mutex while the second arrives.
         */
        @Test
        void aRequestWhileAnotherHoldsTheMutexIsEagain() throws InterruptedException {
            Dev d = ccw();
            long io = io(d);
            long async = async(d);
            java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            UserBuffer stalling = UserBuffer.stallingFirstCopy(ioRequest(0, 0, 0), reached, release);
            KernelFile file = d.file();
            long[] first = {Long.MIN_VALUE};
            Thread t = new Thread(() -> first[0] = file.write(stalling, 124, io));
            t.start();
            try {
                assertTrue(reached.await(10, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(Errno.EAGAIN, errno(() -> d.write(io, ioRequest(0, 0, 0))));
                byte[] halt = new byte[8];
                putBe32(halt, 0, 1);
                assertEquals(Errno.EAGAIN, errno(() -> d.write(async, halt)));
            } finally {
                release.countDown();
                t.join(10_000);
            }
            assertEquals(124, first[0]);
            assertEquals(124, d.write(io, ioRequest(0, 0, 0)), "free again");
        }

        /** The file's read and write called directly: the syscall boundary cannot fault. */
        @Test
        void aFaultingUserBufferIsEfaultOnEveryRegion() {
            Dev d = ccw();
            var f = d.file();
            for (long at : new long[] {io(d), async(d), schib(d), crw(d)}) {
                assertEquals(-Errno.EFAULT, f.read(vfiowb.common.userspace.UserBuffer.allocate(1), 4, at),
                        "read at 0x" + Long.toHexString(at));
            }
            assertEquals(-Errno.EFAULT, f.write(vfiowb.common.userspace.UserBuffer.allocate(1), 4, io(d)));
            assertEquals(-Errno.EFAULT, f.write(vfiowb.common.userspace.UserBuffer.allocate(1), 8, async(d)));
        }
    }

    @Nested
    class AsyncRegion {
        @Test
        void haltAndClearAnswerZero() {
            Dev d = ccw();
            for (long cmd : new long[] {1, 2}) {
                byte[] req = new byte[8];
                putBe32(req, 0, cmd);
                putBe32(req, 4, 0x1234);
                assertEquals(8, d.write(async(d), req));
                byte[] back = d.read(async(d), 8);
                assertEquals(cmd, be32(back, 0));
                assertEquals(0, be32(back, 4), "ret_code overwritten by the request's result");
            }
        }

        @Test
        void unknownCommandIsEinval() {
            Dev d = ccw();
            byte[] req = new byte[8];
            putBe32(req, 0, 4);
            assertEquals(Errno.EINVAL, errno(() -> d.write(async(d), req)));
            assertEquals(-Errno.EINVAL, (int) be32(d.read(async(d), 8), 4));
        }

        @Test
        void accessPastTheRegionIsEinval() {
            Dev d = ccw();
            assertEquals(Errno.EINVAL, errno(() -> d.read(async(d) + 4, 8)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(async(d), new byte[9])));
        }
    }

    @Nested
    class SchibAndCrw {
        @Test
        void schibIsAFreshStoreSubchannel() {
            Dev d = ccw();
            assertArrayEquals(((CcwDevice) d.hw()).storeSubchannel(), d.read(schib(d), 52));
            byte[] devno = d.read(schib(d) + 6, 2);
            assertEquals(0x1234, (devno[0] & 0xff) << 8 | (devno[1] & 0xff));
        }

        @Test
        void crwIsPoppedOncePerRead() {
            Dev d = ccw();
            CcwDevice hw = (CcwDevice) d.hw();
            hw.queueCrw(0x00c8_0013);
            hw.queueCrw(0x0044_0001);
            assertEquals(0x00c8_0013L, be32(d.read(crw(d), 8), 0));
            assertEquals(0x0044_0001L, be32(d.read(crw(d), 8), 0));
            assertEquals(0, be32(d.read(crw(d), 8), 0), "none pending");
        }

        @Test
        void readOnlyRegionsRefuseWrites() {
            Dev d = ccw();
            assertEquals(Errno.EINVAL, errno(() -> d.write(schib(d), new byte[4])));
            assertEquals(Errno.EINVAL, errno(() -> d.write(crw(d), new byte[4])));
        }

        @Test
        void accessPastTheRegionIsEinvalAndPopsNothing() {
            Dev d = ccw();
            CcwDevice hw = (CcwDevice) d.hw();
            hw.queueCrw(7);
            assertEquals(Errno.EINVAL, errno(() -> d.read(schib(d) + 50, 4)));
            assertEquals(Errno.EINVAL, errno(() -> d.read(crw(d) + 4, 8)));
            assertEquals(7, be32(d.read(crw(d), 8), 0));
        }
    }

    @Nested
    class NoMmap {
        @Test
        void coreRefusesMmap() {
            Dev d = ccw();
            long io = io(d);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, io)));
        }
    }
}
