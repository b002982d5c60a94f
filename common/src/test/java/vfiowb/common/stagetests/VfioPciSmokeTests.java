package vfiowb.common.stagetests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.IgdFunction;
import vfiowb.common.hw.PciConfigSpace;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
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
