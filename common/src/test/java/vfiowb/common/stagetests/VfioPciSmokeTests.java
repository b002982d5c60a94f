package vfiowb.common.stagetests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.IgdFunction;
import vfiowb.common.hw.PciConfigSpace;
import vfiowb.common.hw.PciErrorHandlers;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/** vfio_pci_ops end to end on the NIC VF, through the syscall boundary. */
public abstract class VfioPciSmokeTests {
    private final StageAdapter stage;

    protected VfioPciSmokeTests(StageAdapter stage) {
        this.stage = stage;
    }

    private VfioHost boot(String device) {
        return stage.stage().boot(Arch.X86_64,
                List.of(DeviceCatalogue.byName(device).orElseThrow()));
    }

    private static RegionInfoReply regionInfo(Process p, int fd, int index) {
        byte[] buf = VfioRegionInfo.request(index, 256);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        return RegionInfoReply.decode(buf);
    }

    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int RW = R | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;

    /**
     * vfio_pci_ioctl_get_region_info for the indexes past the BARs, on the IGD (a shadow ROM,
     * VGA, three device-specific regions): the ROM is READ with the shadow image's 0x20000
     * bytes, VGA is READ|WRITE over 0xc0000 bytes, and each device-specific region reports its
     * own size and flags and a CAP_TYPE capability (version 1) with type
     * PCI_VENDOR_TYPE|0x8086 and the IGD subtype of its index. No two regions overlap in the
     * file, so each is found where it says it is.
     */
    @Test
    void igdRegionsPastTheBarsAsVfioPciIoctlGetRegionInfoReportsThem() {
        Process p = new Process(boot("igd"));
        int fd = p.open("igd");
        RegionInfoReply rom = regionInfo(p, fd, 6);
        assertEquals(0x20000, rom.info().size());
        assertEquals(R, rom.info().flags());
        RegionInfoReply vga = regionInfo(p, fd, 8);
        assertEquals(0xc0000, vga.info().size());
        assertEquals(RW, vga.info().flags());
        long[] subtypes = {VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION,
            VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG,
            VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG};
        long[] sizes = {0x2000, 0x100, 0x100};
        for (int i = 0; i < 3; i++) {
            RegionInfoReply r = regionInfo(p, fd, 9 + i);
            assertEquals(sizes[i], r.info().size(), "region " + (9 + i));
            assertEquals(R | CAPS, r.info().flags(), "region " + (9 + i));
            RegionCap.Type t = r.type().orElseThrow();
            assertEquals(1, t.version());
            assertEquals(VfioRegionType.VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x8086, t.type());
            assertEquals(subtypes[i], t.subtype(), "region " + (9 + i));
        }
        List<long[]> spans = new java.util.ArrayList<>();
        for (int index = 0; index < 12; index++) {
            VfioRegionInfo info = regionInfo(p, fd, index).info();
            if (info.size() == 0) {
                continue;
            }
            for (long[] s : spans) {
                assertTrue(info.offset() + info.size() <= s[0] || s[0] + s[1] <= info.offset(),
                        "region " + index + " overlaps another");
            }
            spans.add(new long[] {info.offset(), info.size()});
        }
    }

    /**
     * A ROM BAR reports the BAR's size (not the image's) and READ only, and reads the image's
     * signature through vfio_pci_bar_rw's pci_map_rom path; a write is -EINVAL.
     */
    @Test
    void aRomBarReportsTheBarSizeAndReadsTheImage() {
        Process p = new Process(boot("e1000e"));
        int fd = p.open("e1000e");
        VfioRegionInfo rom = regionInfo(p, fd, 6).info();
        assertEquals(0x40000, rom.size());
        assertEquals(R, rom.flags());
        byte[] sig = new byte[2];
        assertEquals(2, p.pread(fd, sig, rom.offset()));
        assertEquals(0x55, sig[0] & 0xff);
        assertEquals(0xaa, sig[1] & 0xff);
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                () -> p.pwrite(fd, new byte[2], rom.offset())).errno());
    }

    /**
     * vfio_pci_vga_rw: the VGA region reaches the legacy windows at their identity offsets
     * (memory 0xa0000-0xbffff, ports 0x3b0-0x3bb and 0x3c0-0x3df), clips a count to its window,
     * and answers -EINVAL between and past them.
     */
    @Test
    void vgaReachesTheLegacyWindowsOnly() {
        VfioHost host = boot("gpu-64g");
        PciFunction gpu = (PciFunction) host.device("gpu-64g");
        Process p = new Process(host);
        int fd = p.open("gpu-64g");
        long vga = regionInfo(p, fd, 8).info().offset();
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
        assertEquals(8, p.pwrite(fd, data, vga + 0xa0010));
        assertEquals(0x0807060504030201L, gpu.vgaRead(0xa0010, 8));
        byte[] back = new byte[8];
        assertEquals(8, p.pread(fd, back, vga + 0xa0010));
        assertArrayEquals(data, back);
        assertEquals(3, p.pwrite(fd, new byte[] {9, 10, 11, 12}, vga + 0xbfffd), "clipped");
        assertEquals(0x0b0a09L, gpu.vgaRead(0xbfffd, 2) | gpu.vgaRead(0xbffff, 1) << 16);
        assertEquals(2, p.pwrite(fd, new byte[] {0x11, 0x22, 0x33}, vga + 0x3ba), "clipped");
        assertEquals(0x2211L, gpu.vgaRead(0x3ba, 2));
        assertEquals(4, p.pwrite(fd, new byte[] {0x44, 0x55, 0x66, 0x77}, vga + 0x3dc));
        assertEquals(0x77665544L, gpu.vgaRead(0x3dc, 4));
        byte[] port = new byte[8];
        assertEquals(4, p.pread(fd, port, vga + 0x3dc), "clipped at 0x3e0");
        assertEquals(0x44, port[0]);
        assertEquals(1, p.pread(fd, new byte[4], vga + 0x3c0 + 0x1f));
        assertEquals(1, p.pread(fd, new byte[4], vga + 0xbffff));
        for (long bad : new long[] {0x3af, 0x3bc, 0x3bf, 0x3e0, 0x9ffff, 0xc0000, 0}) {
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> p.pread(fd, new byte[1], vga + bad)).errno(), Long.toHexString(bad));
        }
    }

    @Test
    void nicVfEndToEnd() {
        Process p = new Process(boot("nic-vf"));
        int fd = p.open("nic-vf");
        byte[] buf = VfioRegionInfo.request(0, 32);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        VfioRegionInfo info = VfioRegionInfo.decode(buf, 0);
        assertEquals(0xf, info.flags());
        assertEquals(40, info.argsz());
        assertEquals(0, info.capOffset());
        assertEquals(0x10000, info.size());

        byte[] id = new byte[2];
        assertEquals(2, p.pread(fd, id, regionOffset(p, fd, 7)));
        assertEquals(0x8086, (id[0] & 0xff) | (id[1] & 0xff) << 8);

        Mapping m = p.mmap(0, 0x10000, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, fd,
                info.offset());
        m.store(0x100, 4, 0xdeadbeefL);
        byte[] r = new byte[4];
        p.pread(fd, r, info.offset() + 0x100);
        assertEquals(0xdeadbeefL, (r[0] & 0xffL) | (r[1] & 0xffL) << 8 | (r[2] & 0xffL) << 16
                | (r[3] & 0xffL) << 24);
        assertEquals(PgProt.UC, m.pgprot());

        ErrnoException e = assertThrows(ErrnoException.class, () -> p.mmap(0, 0x1000,
                Mman.PROT_READ, Mman.MAP_PRIVATE, fd, info.offset()));
        assertEquals(Errno.EINVAL, e.errno());
    }

    /**
     * drivers/vfio/pci/vfio_pci.c:vfio_pci_probe runs with {@code pdev->driver} set to
     * vfio_pci_driver, whose {@code err_handler} is vfio_pci_core_err_handlers (only
     * {@code error_detected}). So VFIO_DEVICE_RESET (vfio_pci_ioctl_reset ->
     * pci_try_reset_function -> pci_dev_save_and_disable / pci_dev_restore) calls no
     * {@code reset_prepare} or {@code reset_done}, even on a function whose previous driver had
     * them (the function is handed to vfio-pci here with another driver's hooks still set, as
     * after an unbind and a bind to vfio-pci).
     */
    @Test
    void aResetCallsNoHooksOfTheDriverTheFunctionWasBoundToBefore() {
        DeviceSpec nic = DeviceCatalogue.byName("nic-vf").orElseThrow();
        assertEquals("vfio_pci_ops", nic.opsTable());
        List<String> hooks = new ArrayList<>();
        DeviceSpec rebound = new DeviceSpec() {
            @Override
            public String name() {
                return nic.name();
            }

            @Override
            public String driver() {
                return nic.driver();
            }

            @Override
            public String opsTable() {
                return nic.opsTable();
            }

            @Override
            public String description() {
                return nic.description();
            }

            @Override
            public Device create(SystemBus bus) {
                PciFunction f = (PciFunction) nic.create(bus);
                f.setDriverErrHandler(new PciErrorHandlers() {
                    @Override
                    public void resetPrepare(PciFunction pdev) {
                        hooks.add("reset_prepare");
                    }

                    @Override
                    public void resetDone(PciFunction pdev) {
                        hooks.add("reset_done");
                    }
                });
                return f;
            }
        };
        Process p = new Process(stage.stage().boot(Arch.X86_64, List.of(rebound)));
        int fd = p.open("nic-vf");
        assertEquals(0, p.ioctl(fd, VfioIoctl.VFIO_DEVICE_RESET, 0));
        assertEquals(List.of(), hooks, "a reset under vfio-pci calls another driver's hooks");
    }

    private static long regionOffset(Process p, int fd, int index) {
        byte[] buf = VfioRegionInfo.request(index, 64);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        return VfioRegionInfo.decode(buf, 0).offset();
    }

    /**
     * The IGD's three device-specific regions (9: OpRegion, 10: host bridge config, 11: LPC
     * bridge config) read through their own rw op at the position inside the region, as the
     * firmware's bytes; reading at the end of a region or writing anywhere is -EINVAL.
     */
    @ParameterizedTest
    @ValueSource(ints = {9, 10, 11})
    void igdRegionsReadTheirOwnBytesAtTheirOwnPositions(int index) {
        VfioHost host = boot("igd");
        IgdFunction igd = (IgdFunction) host.device("igd");
        byte[] image = index == 9 ? igd.opRegion()
                : index == 10 ? igd.hostBridgeConfig() : igd.lpcBridgeConfig();
        Process p = new Process(host);
        int fd = p.open("igd");
        byte[] buf = VfioRegionInfo.request(index, 64);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        VfioRegionInfo info = VfioRegionInfo.decode(buf, 0);
        assertEquals(image.length, info.size());
        long at = 0x40;
        byte[] got = new byte[16];
        assertEquals(16, p.pread(fd, got, info.offset() + at));
        assertArrayEquals(Arrays.copyOfRange(image, (int) at, (int) at + 16), got);
        byte[] tail = new byte[8];
        assertEquals(4, p.pread(fd, tail, info.offset() + image.length - 4), "clipped to the end");
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                () -> p.pread(fd, new byte[4], info.offset() + image.length)).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                () -> p.pwrite(fd, new byte[4], info.offset())).errno());
    }

    /**
     * vfio_pci_ioctl_get_info zeroes its struct, reads 16 bytes and writes back min(argsz, 24):
     * a 24-byte caller gets cap_offset and pad cleared, a 16-byte caller keeps its bytes 16..23.
     */
    @ParameterizedTest
    @ValueSource(ints = {16, 24})
    void getInfoCopiesBackMinOfArgszAnd24(int argsz) {
        Process p = new Process(boot("nic-vf"));
        int fd = p.open("nic-vf");
        byte[] buf = new byte[24];
        Arrays.fill(buf, (byte) 0xa5);
        buf[0] = (byte) argsz;
        buf[1] = 0;
        buf[2] = 0;
        buf[3] = 0;
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, buf);
        VfioDeviceInfo info = VfioDeviceInfo.decode(buf, 0);
        assertEquals(9, info.numRegions());
        assertEquals(5, info.numIrqs());
        long tail = argsz == 24 ? 0 : 0xa5a5a5a5L;
        assertEquals(tail, info.capOffset());
        assertEquals(tail, info.pad());
    }

    /** vfio_pci_get_irq_count: INTx needs a pin, and an SR-IOV VF never has INTx. */
    @ParameterizedTest
    @CsvSource({"nic-vf,0", "legacy-b0,1"})
    void intxCountFollowsThePinExceptOnAVf(String device, long expected) {
        VfioHost host = boot(device);
        PciFunction hw = (PciFunction) host.device(device);
        hw.config().set(PciConfigSpace.Register.INTERRUPT_PIN, 1);
        Process p = new Process(host);
        int fd = p.open(device);
        byte[] buf = new VfioIrqInfo(16, 0, 0, 0).encode();
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, buf);
        assertEquals(expected, VfioIrqInfo.decode(buf, 0).count());
    }
}
