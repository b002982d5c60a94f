package vfiowb.wcalias.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.UserBuffer;

/**
 * The core's half of the cookie ops, observed from the driver's side with Mockito: the core
 * hands {@code mmap_obj}, {@code read_obj}, {@code write_obj} and {@code ioeventfd_obj} exactly
 * the object it looked up and the offset inside it, never calls the driver when one of its own
 * checks fails, and leaves the file's tree as it was after every failed call.
 */
class VfioCookieCoreTest {
    private static final Arch ARCH = Arch.X86_64;
    /** Region 0: 64 KiB with bytes; region 1: none; region 2: 8 KiB. */
    private static final long[] SIZES = {0x10000, 0, 0x2000};

    /** A cookie of the fake driver. */
    static final class FakeMmap extends VfioMmap {
        FakeMmap(VfioDevice d, int index, long size) {
            super(d, index, size);
        }
    }

    private VfioDeviceOps.MmapObj mmapObj;
    private VfioDeviceOps.ReadObj readObj;
    private VfioDeviceOps.WriteObj writeObj;
    private VfioDeviceOps.IoeventfdObj ioeventfdObj;
    private VfioDevice vdev;
    private VfioDeviceFile df;
    private int regionInfoFailure;

    @BeforeEach
    void setUp() {
        mmapObj = mock(VfioDeviceOps.MmapObj.class);
        readObj = mock(VfioDeviceOps.ReadObj.class);
        writeObj = mock(VfioDeviceOps.WriteObj.class);
        ioeventfdObj = mock(VfioDeviceOps.IoeventfdObj.class);
        VfioDeviceOps ops = VfioDeviceOps.builder("fake_ops")
                .getRegionInfoObj((d, info, caps, obj) -> {
                    if (regionInfoFailure != 0) {
                        return regionInfoFailure;
                    }
                    int i = (int) info.index();
                    if (i >= SIZES.length) {
                        return -Errno.EINVAL;
                    }
                    info.setSize(SIZES[i]);
                    info.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ);
                    if (SIZES[i] != 0) {
                        obj[0] = new FakeMmap(d, i, SIZES[i]);
                    }
                    if (i == 2) {
                        return vfiowb.common.uapi.VfioInfoCap.vfioInfoAddCapability(caps,
                                new byte[8]);
                    }
                    return 0;
                })
                .mmapObj(mmapObj).readObj(readObj).writeObj(writeObj)
                .ioeventfdObj(ioeventfdObj)
                .build();
        vdev = new VfioDevice(ops, DeviceCatalogue.byName("nic-vf").orElseThrow()
                .create(new SystemBus()), ARCH) {};
        vdev.setNrRegions(SIZES.length);
        df = VfioMain.vfioDeviceOpenFile(vdev, SeriesPolicy.DEFAULT
                .withCreate(SeriesPolicy.Create.REGION_INFO)
                .withLayout(SeriesPolicy.Layout.PACKED));
    }

    private long regionInfo(long index) {
        byte[] buf = VfioRegionInfo.request(index, 64);
        long ret = VfioMain.vfioDeviceFopsUnlIoctl(df, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO,
                UserBuffer.wrap(buf));
        return ret != 0 ? ret : LE.getU64(buf, 24);
    }

    private VfioMmap cookie(long index) {
        return df.regionMmaps().get((int) index);
    }

    private VmArea vma(long pgoff, long pages) {
        return new VmArea(ARCH, 0x7f0000000000L, 0x7f0000000000L + (pages << 12), pgoff,
                EnumSet.of(VmFlag.VM_SHARED, VmFlag.VM_READ));
    }

    private String tree() {
        return df.mmapTreeDump() + df.regionMmaps();
    }

    @Nested
    class Mmap {
        @Test
        void handsTheDriverExactlyTheObjectItLookedUp() {
            long off = regionInfo(0);
            VfioMmap obj = cookie(0);
            VmArea v = vma((off >>> 12) + 3, 2);
            when(mmapObj.mmapObj(any(), any(), any())).thenReturn(0);
            assertEquals(0, VfioMain.vfioDeviceFopsMmap(df, v));
            verify(mmapObj).mmapObj(same(vdev), same(v), same(obj));
        }

        /**
         * Far away; region 0's guard page (in its tree range, but no page of the region); its
         * last page and the guard together.
         */
        @ParameterizedTest
        @ValueSource(longs = {-1, 16, 15})
        void neverCallsTheDriverWhenTheCheckFailsAndLeavesTheTreeAlone(long pageInto) {
            long off = regionInfo(0);
            regionInfo(2);
            String before = tree();
            long pgoff = pageInto < 0 ? (off >>> 12) + 0x100000 : (off >>> 12) + pageInto;
            long pages = pageInto == 15 ? 2 : 1;
            assertEquals(-Errno.ENXIO, VfioMain.vfioDeviceFopsMmap(df, vma(pgoff, pages)));
            verifyNoInteractions(mmapObj);
            assertEquals(before, tree());
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void handsTheObjectAndTheOffsetInsideIt() {
            long off = regionInfo(2);
            VfioMmap obj = cookie(2);
            UserBuffer buf = UserBuffer.allocate(8);
            when(readObj.readObj(any(), any(), any(), anyLong(), anyLong())).thenReturn(8L);
            when(writeObj.writeObj(any(), any(), any(), anyLong(), anyLong())).thenReturn(8L);
            assertEquals(8, VfioMain.vfioDeviceFopsRead(df, buf, 8, off + 0x123));
            verify(readObj).readObj(same(vdev), same(obj), same(buf), eq(8L), eq(0x123L));
            assertEquals(8, VfioMain.vfioDeviceFopsWrite(df, buf, 8, off + 0x1ff8));
            verify(writeObj).writeObj(same(vdev), same(obj), same(buf), eq(8L), eq(0x1ff8L));
        }

        @Test
        void anOffsetNoCookieCoversNeverReachesTheDriver() {
            long off = regionInfo(0);
            String before = tree();
            UserBuffer buf = UserBuffer.allocate(4);
            assertEquals(-Errno.EINVAL, VfioMain.vfioDeviceFopsRead(df, buf, 4, off + 0x1000000));
            assertEquals(-Errno.EINVAL, VfioMain.vfioDeviceFopsWrite(df, buf, 4, -4096));
            assertEquals(0, VfioMain.vfioDeviceFopsRead(df, buf, 0, 1L << 50));
            verifyNoInteractions(readObj, writeObj);
            assertEquals(before, tree());
        }
    }

    @Nested
    class Ioeventfd {
        private long ioeventfd(long offset, int sizeFlag, int argsz) {
            byte[] b = new byte[VfioDeviceIoeventfd.SIZE];
            VfioDeviceIoeventfd.of(sizeFlag, offset, 0x55, 7).encodeInto(b, 0);
            LE.putU32(b, 0, argsz);
            return VfioMain.vfioDeviceFopsUnlIoctl(df, VfioIoctl.VFIO_DEVICE_IOEVENTFD,
                    UserBuffer.wrap(b));
        }

        @Test
        void handsTheObjectAndTheOffsetInsideIt() {
            long off = regionInfo(0);
            VfioMmap obj = cookie(0);
            when(ioeventfdObj.ioeventfdObj(any(), any(), anyLong(), anyLong(), anyInt(),
                    anyInt())).thenReturn(0);
            assertEquals(0, ioeventfd(off + 0x40, VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                    VfioDeviceIoeventfd.SIZE));
            verify(ioeventfdObj).ioeventfdObj(same(vdev), same(obj), eq(0x40L), eq(0x55L),
                    eq(4), eq(7));
        }

        @Test
        void badArgumentsAndMissesNeverReachTheDriver() {
            long off = regionInfo(0);
            String before = tree();
            assertEquals(-Errno.EINVAL, ioeventfd(off, VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                    8));
            assertEquals(-Errno.EINVAL, ioeventfd(off, 3, VfioDeviceIoeventfd.SIZE));
            assertEquals(-Errno.EINVAL, ioeventfd(off + 0x1000000,
                    VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, VfioDeviceIoeventfd.SIZE));
            verify(ioeventfdObj, never()).ioeventfdObj(any(), any(), anyLong(), anyLong(),
                    anyInt(), anyInt());
            assertEquals(before, tree());
        }
    }

    @Nested
    class RegionInfo {
        @Test
        void aDriverErrorPlacesNothing() {
            regionInfo(0);
            String before = tree();
            regionInfoFailure = -Errno.ENODEV;
            assertEquals(-Errno.ENODEV, regionInfo(2));
            assertEquals(before, tree());
        }

        @Test
        void aFailedCopyOutTakesBackTheCookieItPlaced() {
            regionInfo(0);
            String before = tree();
            // argsz promises room for the chain, but the buffer ends after the 32-byte head.
            byte[] head = VfioRegionInfo.request(2, 64);
            long ret = VfioMain.vfioDeviceFopsUnlIoctl(df, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO,
                    UserBuffer.wrap(java.util.Arrays.copyOf(head, 32)));
            assertEquals(-Errno.EFAULT, ret);
            assertEquals(before, tree());
            long off = regionInfo(2);
            assertSame(cookie(2), df.mmapMt().load(off >>> 12), "asked again, placed once");
        }

        @Test
        void theSameRegionAlwaysGivesTheSameCookie() {
            long a = regionInfo(2);
            VfioMmap obj = cookie(2);
            for (int i = 0; i < 100; i++) {
                assertEquals(a, regionInfo(2));
            }
            assertSame(obj, cookie(2));
            assertEquals(List.of(obj), df.cookies());
        }
    }
}
