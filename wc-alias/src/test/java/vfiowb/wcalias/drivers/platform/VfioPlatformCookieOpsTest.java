package vfiowb.wcalias.drivers.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.PlatformDevice;
import vfiowb.common.hw.PlatformResource;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.wcalias.core.VfioDeviceFops;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.core.VfioMain;
import vfiowb.wcalias.core.VfioMmap;

/**
 * vfio-platform on the cookie path, watched from the driver's side with Mockito: the core hands
 * {@code mmap_obj}, {@code read_obj} and {@code write_obj} the cookie this driver minted for the
 * region of this device on this file, and the offset inside it, never another device's or
 * another file's cookie, and never calls them for an offset no cookie covers. The observed ops
 * are {@code vfio_platform_ops}' own functions behind Mockito mocks, so the outcome userspace
 * sees is the driver's.
 */
class VfioPlatformCookieOpsTest {
    private static final Arch ARCH = Arch.X86_64;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    private VfioDeviceOps.MmapObj mmapObj;
    private VfioDeviceOps.ReadObj readObj;
    private VfioDeviceOps.WriteObj writeObj;
    private VfioPlatformDevice vdevA;
    private VfioPlatformDevice vdevB;
    private PlatformDevice hwA;
    private Process p;

    /** 64 KiB of registers, a 0x100 read-write block, a 0x100 read-only block. */
    private static PlatformDevice hw(String name, SystemBus bus) {
        return new PlatformDevice(name, "vendor,test-dev", List.of(
                PlatformResource.mmio("regs", 0x10000, true),
                PlatformResource.mmio("stats", 0x100, true),
                PlatformResource.mmio("info", 0x100, false)), 1, true, bus);
    }

    private static VfioPlatformDevice probe(VfioDeviceOps ops, PlatformDevice hw) {
        VfioPlatformDevice vdev = new VfioPlatformDevice(ops, hw, ARCH, hw.compatible(),
                VfioDeviceInfo.VFIO_DEVICE_FLAGS_PLATFORM, true);
        assertEquals(0, VfioPlatformCommon.vfioPlatformInitCommon(vdev));
        return vdev;
    }

    @BeforeEach
    void setUp() {
        VfioDeviceOps real = VfioPlatform.VFIO_PLATFORM_OPS;
        mmapObj = mock(VfioDeviceOps.MmapObj.class);
        readObj = mock(VfioDeviceOps.ReadObj.class);
        writeObj = mock(VfioDeviceOps.WriteObj.class);
        when(mmapObj.mmapObj(any(), any(), any())).thenAnswer(i -> real.mmapObj()
                .mmapObj(i.getArgument(0), i.getArgument(1), i.getArgument(2)));
        when(readObj.readObj(any(), any(), any(), anyLong(), anyLong())).thenAnswer(i -> real
                .readObj().readObj(i.getArgument(0), i.getArgument(1), i.getArgument(2),
                        i.getArgument(3), i.getArgument(4)));
        when(writeObj.writeObj(any(), any(), any(), anyLong(), anyLong())).thenAnswer(i -> real
                .writeObj().writeObj(i.getArgument(0), i.getArgument(1), i.getArgument(2),
                        i.getArgument(3), i.getArgument(4)));
        VfioDeviceOps ops = VfioDeviceOps.builder(real.tableName())
                .name(real.name())
                .openDevice(real.openDevice())
                .closeDevice(real.closeDevice())
                .ioctl(real.ioctl())
                .getRegionInfoObj(real.getRegionInfoObj())
                .mmapObj(mmapObj).readObj(readObj).writeObj(writeObj)
                .build();

        SystemBus bus = new SystemBus();
        BootedHost host = new BootedHost(ARCH, bus, SeriesPolicy.DEFAULT);
        hwA = hw("plat-a", bus);
        PlatformDevice hwB = hw("plat-b", bus);
        vdevA = probe(ops, hwA);
        vdevB = probe(ops, hwB);
        host.add("plat-a", hwA, () -> new VfioDeviceFops(VfioMain.vfioDeviceOpenFile(vdevA)));
        host.add("plat-b", hwB, () -> new VfioDeviceFops(VfioMain.vfioDeviceOpenFile(vdevB)));
        p = new Process(host);
    }

    private long offset(int fd, long index) {
        byte[] b = VfioRegionInfo.request(index, 32);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
        return VfioRegionInfo.decode(b, 0).offset();
    }

    /** The cookie file {@code fd} holds for region {@code index}. */
    private VfioMmap cookie(int fd, int index) {
        VfioDeviceFops f = (VfioDeviceFops) p.file(fd).kernelFile();
        return f.deviceFile().cookies().stream().filter(c -> c.index() == index).findFirst()
                .orElseThrow();
    }

    private int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    @Nested
    class Mmap {
        @Test
        void getsTheFilesOwnCookieAndMapsFromThePageOffsetInsideIt() {
            int fd1 = p.open("plat-a");
            int fd2 = p.open("plat-a");
            long regs = offset(fd2, 0);
            Mapping m = p.mmap(0, 0x2000, RW, Mman.MAP_SHARED, fd2, regs + 0x3000);

            ArgumentCaptor<VmArea> vma = ArgumentCaptor.forClass(VmArea.class);
            ArgumentCaptor<VfioMmap> obj = ArgumentCaptor.forClass(VfioMmap.class);
            verify(mmapObj).mmapObj(same(vdevA), vma.capture(), obj.capture());
            assertSame(cookie(fd2, 0), obj.getValue());
            assertNotSame(cookie(fd1, 0), obj.getValue(), "the other file's cookie");
            assertEquals(3, obj.getValue().vmaPageOffset(vma.getValue()));
            assertEquals((hwA.resource(0).start() >>> 12) + 3,
                    p.mm().pageTable().lookup(m.addr()).pfn());
        }

        /** Beyond every region; the region's last page and one past it; no driver call. */
        @Test
        void noCookieOrAVmaLeavingItNeverReachesTheDriver() {
            int fd = p.open("plat-a");
            long regs = offset(fd, 0);
            long info = offset(fd, 2);
            long past = info + (info - offset(fd, 1));
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd,
                    past)));
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x2000, RW, Mman.MAP_SHARED, fd,
                    regs + 0xf000)));
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], past)));
            assertEquals(Errno.EINVAL, errno(() -> p.pwrite(fd, new byte[4], past)));
            verifyNoInteractions(mmapObj, readObj, writeObj);
        }

        /** The driver's own refusal comes from the object's flags: a region without MMAP. */
        @Test
        void theDriverRefusesFromWhatTheObjectCarries() {
            int fd = p.open("plat-a");
            long stats = offset(fd, 1);
            assertEquals(Errno.EINVAL, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd,
                    stats)));
            verify(mmapObj).mmapObj(same(vdevA), any(), same(cookie(fd, 1)));
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void getTheRegionsObjectAndTheOffsetInsideIt() {
            int fd = p.open("plat-b");
            hwA.resourceMemory(1).write(0x10, 4, 0xdeadbeefL);
            byte[] b = new byte[4];
            assertEquals(4, p.pread(fd, b, offset(fd, 1) + 0x10));
            verify(readObj).readObj(same(vdevB), same(cookie(fd, 1)), any(UserBuffer.class),
                    eq(4L), eq(0x10L));
            assertEquals(0, b[0] | b[1] | b[2] | b[3], "device B's registers, not A's");

            assertEquals(Errno.EINVAL, errno(() -> p.pwrite(fd, new byte[4], offset(fd, 2) + 8)));
            verify(writeObj).writeObj(same(vdevB), same(cookie(fd, 2)), any(UserBuffer.class),
                    eq(4L), eq(8L));
        }

        /**
         * The same file offset on three files of two devices: each read reaches the driver with
         * that file's own cookie of that device.
         */
        @Test
        void theSameOffsetOnEveryFileGivesThatFilesCookie() {
            int a1 = p.open("plat-a");
            int a2 = p.open("plat-a");
            int b1 = p.open("plat-b");
            long off = offset(a1, 1);
            assertEquals(off, offset(a2, 1), "the legacy layout: one slot per index");
            assertEquals(off, offset(b1, 1));
            for (int fd : new int[] {a1, a2, b1}) {
                assertEquals(4, p.pread(fd, new byte[4], off + 0x20));
            }
            ArgumentCaptor<VfioMmap> obj = ArgumentCaptor.forClass(VfioMmap.class);
            verify(readObj, times(3)).readObj(any(), obj.capture(), any(), eq(4L), eq(0x20L));
            assertEquals(List.of(cookie(a1, 1), cookie(a2, 1), cookie(b1, 1)), obj.getAllValues());
            assertSame(vdevA, obj.getAllValues().get(1).device());
            assertSame(vdevB, obj.getAllValues().get(2).device());
            assertTrue(obj.getAllValues().stream().allMatch(VfioPlatformMmap.class::isInstance));
        }
    }

    @Nested
    class RegionInfo {
        /** The driver fills size and flags and mints the object; the offset is the core's. */
        @Test
        void theDriverNeverWritesTheOffset() {
            p.open("plat-a");
            VfioRegionInfoStruct info = VfioRegionInfoStruct.forIndex(2);
            VfioMmap[] obj = new VfioMmap[1];
            assertEquals(0, VfioPlatformCommon.vfioPlatformIoctlGetRegionInfoObj(vdevA, info,
                    new VfioInfoCap(), obj));
            assertEquals(0, info.offset());
            assertEquals(0x100, info.size());
            assertEquals(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ, info.flags());
            assertEquals(2, obj[0].index());
            assertSame(vdevA, obj[0].device());
            assertTrue(!obj[0].installed(), "placing it is the core's");

            VfioMmap[] none = new VfioMmap[1];
            assertEquals(-Errno.EINVAL, VfioPlatformCommon.vfioPlatformIoctlGetRegionInfoObj(
                    vdevA, VfioRegionInfoStruct.forIndex(3), new VfioInfoCap(), none));
            assertNull(none[0]);
        }
    }
}
