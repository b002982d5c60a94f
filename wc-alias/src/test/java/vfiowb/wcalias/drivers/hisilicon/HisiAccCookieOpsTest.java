package vfiowb.wcalias.drivers.hisilicon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.mockito.invocation.Invocation;
import org.mockito.stubbing.Answer;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.HisiAccVf;
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
import vfiowb.wcalias.core.VfioDeviceFile;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.core.VfioMain;
import vfiowb.wcalias.core.VfioMmap;
import vfiowb.wcalias.pci.VfioPciMmap;

/**
 * hisi_acc's migration table on the cookie path, observed from the driver's side with Mockito:
 * the table is rebuilt from {@code hisi_acc_vfio_pci_migrn_ops}'s own members, each wrapped in
 * a mock that forwards to it, so the driver still does its work while the test sees what the
 * core handed it. The core hands every object op an object the driver's own
 * {@code get_region_info_obj} made and the core installed in this file (for BAR2, the
 * half-BAR {@code vfio_pci_mmap}), and the offset inside that object, never a file offset;
 * a call the core refuses never reaches the driver. Under both layouts, whose file offsets
 * differ.
 */
class HisiAccCookieOpsTest {
    private static final Arch ARCH = Arch.X86_64;
    private static final int PAGE = 4096;

    private VfioDeviceOps.GetRegionInfoObj getRegionInfoObj;
    private VfioDeviceOps.MmapObj mmapObj;
    private VfioDeviceOps.ReadObj readObj;
    private VfioDeviceOps.WriteObj writeObj;
    private VfioDeviceOps.IoeventfdObj ioeventfdObj;
    private HisiAccVf hw;
    private HisiAccVfCoreDevice vdev;
    private VfioDeviceFile df;

    /** A mock of {@code type} whose every call runs {@code real}, the table's own member. */
    private static <T> T forwarding(Class<T> type, T real) {
        Answer<Object> forward = inv -> {
            try {
                return inv.getMethod().invoke(real, inv.getArguments());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return mock(type, forward);
    }

    private void open(SeriesPolicy.Layout layout) {
        VfioDeviceOps real = HisiAccVfioPci.HISI_ACC_VFIO_PCI_MIGRN_OPS;
        getRegionInfoObj = forwarding(VfioDeviceOps.GetRegionInfoObj.class,
                real.getRegionInfoObj());
        mmapObj = forwarding(VfioDeviceOps.MmapObj.class, real.mmapObj());
        readObj = forwarding(VfioDeviceOps.ReadObj.class, real.readObj());
        writeObj = forwarding(VfioDeviceOps.WriteObj.class, real.writeObj());
        ioeventfdObj = forwarding(VfioDeviceOps.IoeventfdObj.class, real.ioeventfdObj());
        VfioDeviceOps ops = VfioDeviceOps.builder(real.tableName())
                .name(real.name())
                .openDevice(real.openDevice())
                .closeDevice(real.closeDevice())
                .ioctl(real.ioctl())
                .getRegionInfoObj(getRegionInfoObj)
                .mmapObj(mmapObj)
                .readObj(readObj)
                .writeObj(writeObj)
                .ioeventfdObj(ioeventfdObj)
                .deviceFeature(real.deviceFeature())
                .build();
        assertEquals(real.membersSet(), ops.membersSet(), "the table, member for member");
        hw = (HisiAccVf) DeviceCatalogue.byName("hisi-acc-migrn").orElseThrow()
                .create(new SystemBus());
        HisiAccVfCoreDevice probed = HisiAccVfioPci.hisiAccVfioPciProbe(hw, ARCH);
        assertSame(real, probed.ops());
        vdev = new HisiAccVfCoreDevice(ops, hw, ARCH, probed.drvMode());
        df = VfioMain.vfioDeviceOpenFile(vdev, SeriesPolicy.DEFAULT.withLayout(layout));
    }

    private long regionInfo(int index) {
        byte[] buf = VfioRegionInfo.request(index, 64);
        long ret = VfioMain.vfioDeviceFopsUnlIoctl(df, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO,
                UserBuffer.wrap(buf));
        assertEquals(0, ret);
        return VfioRegionInfo.decode(buf, 0).offset();
    }

    /** Every object the driver's get_region_info_obj handed the core so far. */
    private List<VfioMmap> made() {
        ArgumentCaptor<VfioMmap[]> objs = ArgumentCaptor.forClass(VfioMmap[].class);
        verify(getRegionInfoObj, atLeastOnce()).getRegionInfoObj(same(vdev), any(), any(),
                objs.capture());
        List<VfioMmap> l = new ArrayList<>();
        for (VfioMmap[] o : objs.getAllValues()) {
            if (o[0] != null) {
                l.add(o[0]);
            }
        }
        return l;
    }

    /** The installed object the driver made for {@code index}: this file's cookie for it. */
    private VfioMmap cookieOf(int index) {
        VfioMmap found = null;
        for (VfioMmap m : made()) {
            if (m.index() == index && m.installed()) {
                assertTrue(found == null || found == m, "two installed cookies for " + index);
                found = m;
            }
        }
        assertTrue(found != null, "no cookie for region " + index);
        return found;
    }

    private long half() {
        return hw.migrationRegistersOffset();
    }

    private VmArea vma(long fileOffset, long pages) {
        return new VmArea(ARCH, 0x7f0000000000L, 0x7f0000000000L + pages * PAGE,
                fileOffset / PAGE, EnumSet.of(VmFlag.VM_SHARED, VmFlag.VM_READ, VmFlag.VM_WRITE));
    }

    private long ioeventfd(long fileOffset) {
        byte[] b = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                fileOffset, 0x55, 7).encode();
        return VfioMain.vfioDeviceFopsUnlIoctl(df, VfioIoctl.VFIO_DEVICE_IOEVENTFD,
                UserBuffer.wrap(b));
    }

    /** Every object any object op of the driver was handed, with the op's name. */
    private List<VfioMmap> handed() {
        List<VfioMmap> l = new ArrayList<>();
        for (Object m : List.of(mmapObj, readObj, writeObj, ioeventfdObj)) {
            for (Invocation inv : mockingDetails(m).getInvocations()) {
                for (Object a : inv.getArguments()) {
                    if (a instanceof VfioMmap obj) {
                        l.add(obj);
                    }
                }
            }
        }
        return l;
    }

    /** Nothing but this file's own cookies, each the driver's own object, reached the driver. */
    private void onlyItsOwnInstalledObjects() {
        List<VfioMmap> made = made();
        for (VfioMmap obj : handed()) {
            assertTrue(made.stream().anyMatch(m -> m == obj), obj + " is not the driver's");
            assertTrue(obj.installed(), obj + " is not installed");
            assertSame(cookieOf(obj.index()), obj, "this file's cookie for " + obj.index());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SeriesPolicy.Layout.class)
    void bar2IsTheDriversHalfBarObject(SeriesPolicy.Layout layout) {
        open(layout);
        regionInfo(2);
        VfioMmap bar2 = cookieOf(2);
        VfioPciMmap pmmap = assertInstanceOf(VfioPciMmap.class, bar2);
        assertEquals(half(), bar2.size());
        assertEquals(hw.pciResourceStart(2), pmmap.physStart());
    }

    @ParameterizedTest
    @EnumSource(value = SeriesPolicy.Layout.class)
    void readAndWriteGetTheirObjectAndTheOffsetInsideIt(SeriesPolicy.Layout layout) {
        open(layout);
        long bar2 = regionInfo(2);
        long cfg = regionInfo(7);
        VfioMmap bar2Obj = cookieOf(2);
        UserBuffer buf = UserBuffer.allocate(8);
        LE.putU32(buf.array(), 0, 0xcafef00dL);
        assertEquals(4, VfioMain.vfioDeviceFopsWrite(df, buf, 4, bar2 + 0x100));
        verify(writeObj).writeObj(same(vdev), same(bar2Obj), same(buf), eq(4L), eq(0x100L));
        assertEquals(0xcafef00dL, hw.barMemory(2).orElseThrow().read(0x100, 4));

        assertEquals(8, VfioMain.vfioDeviceFopsRead(df, buf, 8, bar2 + half() - 8));
        long half = half();
        verify(readObj).readObj(same(vdev), same(bar2Obj), same(buf), eq(8L), eq(half - 8));

        VfioMmap cfgObj = cookieOf(7);
        assertEquals(2, VfioMain.vfioDeviceFopsRead(df, buf, 2, cfg + 2));
        verify(readObj).readObj(same(vdev), same(cfgObj), same(buf), eq(2L), eq(2L));
        assertEquals(hw.deviceId(), LE.getU16(buf.array(), 0));
        onlyItsOwnInstalledObjects();
    }

    /**
     * A position past the half BAR, still inside what the layout gives BAR2 (the rest of its
     * slot, or its guard page), reaches the driver as its own BAR2 object and that position;
     * the driver refuses it by the object's length.
     */
    @ParameterizedTest
    @EnumSource(value = SeriesPolicy.Layout.class)
    void pastTheObjectTheDriverSeesItsObjectAndRefuses(SeriesPolicy.Layout layout) {
        open(layout);
        long bar2 = regionInfo(2);
        VfioMmap bar2Obj = cookieOf(2);
        long half = half();
        UserBuffer buf = UserBuffer.allocate(4);
        assertEquals(-Errno.EINVAL, VfioMain.vfioDeviceFopsRead(df, buf, 4, bar2 + half));
        verify(readObj).readObj(same(vdev), same(bar2Obj), same(buf), eq(4L), eq(half));
        assertEquals(-Errno.EINVAL, VfioMain.vfioDeviceFopsWrite(df, buf, 4, bar2 + half));
        verify(writeObj).writeObj(same(vdev), same(bar2Obj), same(buf), eq(4L), eq(half));
        onlyItsOwnInstalledObjects();
    }

    @ParameterizedTest
    @EnumSource(value = SeriesPolicy.Layout.class)
    void aRegionWithoutBytesNeverReachesTheDriver(SeriesPolicy.Layout layout) {
        open(layout);
        long bar0 = regionInfo(0);
        assertEquals(-Errno.EINVAL, VfioMain.vfioDeviceFopsRead(df, UserBuffer.allocate(4), 4,
                bar0));
        assertEquals(-Errno.ENXIO, VfioMain.vfioDeviceFopsMmap(df, vma(bar0, 1)));
        verifyNoInteractions(readObj, writeObj, mmapObj);
    }

    @ParameterizedTest
    @EnumSource(value = SeriesPolicy.Layout.class)
    void mmapGetsItsObjectAndAVmaInsideIt(SeriesPolicy.Layout layout) {
        open(layout);
        long bar2 = regionInfo(2);
        VfioMmap bar2Obj = cookieOf(2);
        VmArea v = vma(bar2 + PAGE, 2);
        assertEquals(0, VfioMain.vfioDeviceFopsMmap(df, v));
        verify(mmapObj).mmapObj(same(vdev), same(v), same(bar2Obj));
        assertEquals(PAGE, bar2Obj.vmaOffset(v), "the offset the driver checks");
        assertSame(bar2Obj, v.privateData(), "the fault path reads the cookie");
        onlyItsOwnInstalledObjects();
    }

    @ParameterizedTest
    @EnumSource(value = SeriesPolicy.Layout.class)
    void anMmapLeavingTheHalfBarNeverReachesTheDriver(SeriesPolicy.Layout layout) {
        open(layout);
        long bar2 = regionInfo(2);
        long pages = half() / PAGE;
        assertEquals(-Errno.ENXIO, VfioMain.vfioDeviceFopsMmap(df, vma(bar2, pages + 1)));
        assertEquals(-Errno.ENXIO, VfioMain.vfioDeviceFopsMmap(df, vma(bar2 + half(), 1)));
        verifyNoInteractions(mmapObj);
    }

    @ParameterizedTest
    @EnumSource(value = SeriesPolicy.Layout.class)
    void ioeventfdGetsItsObjectAndTheOffsetInsideIt(SeriesPolicy.Layout layout) {
        open(layout);
        long bar2 = regionInfo(2);
        VfioMmap bar2Obj = cookieOf(2);
        long half = half();
        assertEquals(0, ioeventfd(bar2 + 0x40));
        verify(ioeventfdObj).ioeventfdObj(same(vdev), same(bar2Obj), eq(0x40L), eq(0x55L),
                eq(4), eq(7));
        assertEquals(1, vdev.ioeventfdsNr());
        assertEquals(-Errno.EINVAL, ioeventfd(bar2 + half));
        verify(ioeventfdObj).ioeventfdObj(same(vdev), same(bar2Obj), eq(half), eq(0x55L),
                eq(4), eq(7));
        assertEquals(1, vdev.ioeventfdsNr(), "nothing registered over the migration registers");
        onlyItsOwnInstalledObjects();
    }
}
