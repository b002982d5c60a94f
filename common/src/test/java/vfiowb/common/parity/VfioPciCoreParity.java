package vfiowb.common.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.hw.PciRom;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.Stage;
import vfiowb.common.testing.OtherThread;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * drivers/vfio/pci/vfio_pci_core.c and vfio_pci_dmabuf.c, and the core's ioctl heads in
 * drivers/vfio/vfio_main.c, where the other parity tests leave edges open: what enable and
 * disable leave behind across a close and an open, the INFO replies' fields and user copies,
 * the DMA-buf range checks at their edges, and {@code memory_lock} given back after each
 * writer. Run by every stage through {@link KernelParityTests}; each test names the kernel
 * function.
 */
public abstract class VfioPciCoreParity {
    private static final int PCI_COMMAND = 4;
    private static final int CMD_MEMORY = 0x2;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int PROBE = VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE;
    private static final int GET = VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET;
    private static final int SET = VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET;

    private final Stage stage;

    protected VfioPciCoreParity(Stage stage) {
        this.stage = stage;
    }

    /** One process with one device open. */
    final class Dev {
        final Process p;
        final String name;
        int fd;
        final PciFunction hw;

        Dev(Arch arch, DeviceSpec spec) {
            this(arch, spec, true);
        }

        Dev(Arch arch, DeviceSpec spec, boolean open) {
            p = new Process(stage.boot(arch, List.of(spec)));
            name = spec.name();
            hw = (PciFunction) p.host().device(name);
            if (open) {
                fd = p.open(name);
            }
        }

        Dev(Arch arch, String name) {
            this(arch, DeviceCatalogue.byName(name).orElseThrow());
        }

        void reopen() {
            p.close(fd);
            fd = p.open(name);
        }

        VfioRegionInfo region(int index) {
            byte[] b = VfioRegionInfo.request(index, 4096);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            return VfioRegionInfo.decode(b, 0);
        }

        VfioDeviceInfo info() {
            byte[] b = new byte[VfioDeviceInfo.SIZE];
            b[0] = (byte) VfioDeviceInfo.SIZE;
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, b);
            return VfioDeviceInfo.decode(b, 0);
        }

        long feature(int flags, byte[] payload) {
            byte[] b = new byte[VfioDeviceFeature.dataOffset() + payload.length];
            new VfioDeviceFeature(b.length, flags & 0xffff_ffffL).encodeInto(b, 0);
            System.arraycopy(payload, 0, b, VfioDeviceFeature.dataOffset(), payload.length);
            return p.ioctl(fd, VfioIoctl.VFIO_DEVICE_FEATURE, b);
        }

        /** A feature whose header claims {@code argsz} bytes in a buffer of {@code real} bytes. */
        long featureShort(int flags, int argsz, int real) {
            byte[] b = new byte[real];
            new VfioDeviceFeature(argsz, flags & 0xffff_ffffL).encodeInto(b, 0);
            return p.ioctl(fd, VfioIoctl.VFIO_DEVICE_FEATURE, b);
        }

        int readBar(int index) {
            return (int) p.pread(fd, new byte[4], region(index).offset());
        }
    }

    static int errno(Supplier<?> call) {
        return assertThrows(ErrnoException.class, call::get).errno();
    }

    private static void putU32(byte[] b, int off, long v) {
        for (int k = 0; k < 4; k++) {
            b[off + k] = (byte) (v >>> (8 * k));
        }
    }

    private static void putU64(byte[] b, int off, long v) {
        putU32(b, off, v);
        putU32(b, off + 4, v >>> 32);
    }

    /** A {@code vfio_device_feature_dma_buf} for {@code region} with {@code ranges} {off, len}. */
    private static byte[] dmaBuf(long region, long[]... ranges) {
        byte[] b = new byte[16 + 16 * ranges.length];
        putU32(b, 0, region);
        putU32(b, 12, ranges.length);
        for (int i = 0; i < ranges.length; i++) {
            putU64(b, 16 + 16 * i, ranges[i][0]);
            putU64(b, 24 + 16 * i, ranges[i][1]);
        }
        return b;
    }

    private boolean exportsDmaBufs() {
        return "wc-dmabuf".equals(stage.variant());
    }

    /** What a DMA-buf request that passed every check gets from this stage. */
    private void assertExported(Dev d, byte[] payload, String why) {
        if (exportsDmaBufs()) {
            assertTrue(d.feature(GET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF, payload) >= 3, why);
        } else {
            assertEquals(Errno.EOPNOTSUPP, errno(() -> d.feature(GET
                    | VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF, payload)), why);
        }
    }

    // ------------------------------------------------------------ enable, disable

    /**
     * {@code vfio_pci_core_enable} calls {@code pci_enable_device}, which turns on decode for
     * the BARs present: a function whose MEMORY bit is off before the open is readable after it
     * (the conventional function has no reset method, so nothing else sets the bit).
     */
    @Test
    void enableTurnsOnMemoryDecode() {
        Dev d = new Dev(Arch.X86_64, DeviceCatalogue.byName("legacy-b0").orElseThrow(), false);
        d.hw.setMemoryEnabled(false);
        d.fd = d.p.open(d.name);
        assertTrue(d.hw.memoryEnabled());
        assertEquals(4, d.readBar(0));
    }

    /**
     * {@code vfio_pci_core_enable} and {@code vfio_pci_igd_init}: an Intel display function
     * without an OpRegion (ASLS clear) makes igd_init answer -ENODEV, which the enable
     * ignores: the open succeeds with no device-specific region, VGA still there.
     */
    @Test
    void anIntelDisplayWithoutOpregionOpensWithoutIgdRegions() {
        PciFunctionSpec spec = PciFunctionSpec.builder("intel-vga").ids(0x8086, 0x0152)
                .classCode(0x030000).bar(PciBar.mem32(0, 0x4000, false)).build();
        Dev d = new Dev(Arch.X86_64, spec);
        assertEquals(VfioIndex.VFIO_PCI_NUM_REGIONS, d.info().numRegions());
        assertEquals(0xc0000, d.region(VfioIndex.VFIO_PCI_VGA_REGION_INDEX).size());
        assertEquals(Errno.EINVAL, errno(() -> d.region(VfioIndex.VFIO_PCI_NUM_REGIONS)));
    }

    /**
     * {@code vfio_pci_core_enable}: "If reset fails because of the device lock, fail this path
     * entirely": while another path holds {@code pci_dev_lock}, {@code pci_try_reset_function}
     * is -EAGAIN, so the open fails with it and leaves the device closed (a cdev bind once the
     * lock is free finds {@code open_count} 0), and {@code vfio_pci_ioctl_reset} on an open
     * device is -EAGAIN too.
     */
    @Test
    void aHeldDeviceLockFailsTheOpenAndTheReset() {
        Dev d = new Dev(Arch.X86_64, DeviceCatalogue.byName("nic-vf").orElseThrow(), false);
        d.hw.pciDevLock();
        try {
            assertEquals(Errno.EAGAIN, (int) OtherThread.run("an open",
                    () -> errno(() -> d.p.open(d.name))));
        } finally {
            d.hw.pciDevUnlock();
        }
        int c = d.p.openCdev(d.name);
        byte[] bind = vfiowb.common.uapi.VfioDeviceBindIommufd.of(3).encode();
        assertEquals(0, d.p.ioctl(c, VfioIoctl.VFIO_DEVICE_BIND_IOMMUFD, bind), "nothing left open");
        d.hw.pciDevLock();
        try {
            assertEquals(Errno.EAGAIN, (int) OtherThread.run("a reset",
                    () -> errno(() -> d.p.ioctl(c, VfioIoctl.VFIO_DEVICE_RESET, 0L))));
        } finally {
            d.hw.pciDevUnlock();
        }
        assertEquals(0, d.p.ioctl(c, VfioIoctl.VFIO_DEVICE_RESET, 0L));
    }

    /**
     * {@code vfio_pci_ioctl_get_info}: {@code num_regions} is {@code VFIO_PCI_NUM_REGIONS} plus
     * the device-specific ones (the IGD's three), and stays so across a close and an open
     * ({@code vfio_pci_core_disable} releases them and the next enable registers them again).
     */
    @Test
    void getInfoCountsDeviceSpecificRegionsAcrossReopen() {
        Dev d = new Dev(Arch.X86_64, "igd");
        assertEquals(VfioIndex.VFIO_PCI_NUM_REGIONS + 3, d.info().numRegions());
        d.reopen();
        assertEquals(VfioIndex.VFIO_PCI_NUM_REGIONS + 3, d.info().numRegions());
        assertEquals(Errno.EINVAL, errno(() -> d.region(VfioIndex.VFIO_PCI_NUM_REGIONS + 3)));
    }

    /**
     * {@code vfio_pci_ioctl_get_info} copies {@code min(argsz, sizeof(info))} bytes out: a
     * buffer that holds the 16 bytes read in but not the whole reply is -EFAULT.
     */
    @Test
    void getInfoIsEfaultWhenTheReplyDoesNotFit() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        byte[] b = new byte[16];
        putU32(b, 0, VfioDeviceInfo.SIZE);
        assertEquals(Errno.EFAULT, errno(() -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_INFO, b)));
    }

    /**
     * {@code vfio_pci_core_disable} on the last close: it leaves low power
     * ({@code vfio_pci_runtime_pm_exit}), so a mapping made after the next open does not fault
     * SIGBUS; and it releases the "vfio sub-page reserved" resource, so the sub-page BAR is
     * mmap-able again after the next open.
     */
    @Test
    void theLastCloseLeavesLowPowerAndReleasesTheSubPageReservation() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        assertEquals(0, d.feature(SET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, new byte[0]));
        d.reopen();
        Mapping m = d.p.mmap(0, 4096, RW, Mman.MAP_SHARED, d.fd, d.region(0).offset());
        m.store(0, 4, 0x1234);
        assertEquals(0x1234, m.load(0, 4));

        Dev s = new Dev(Arch.X86_64, "subpage-bar");
        int mmap = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
        assertTrue(s.region(0).hasFlag(mmap));
        s.reopen();
        assertTrue(s.region(0).hasFlag(mmap), "the reservation was released and taken again");
        s.reopen();
        assertTrue(s.region(0).hasFlag(mmap), "and once more: each close releases what its open took");
    }

    /**
     * {@code vfio_pci_probe_mmaps} reserves exactly {@code PAGE_SIZE - resource_size} bytes after
     * a page-aligned sub-page BAR: a 0x100-byte BAR0 followed by a BAR1 on the very next page is
     * mmap-able, the reservation ending where BAR1 begins.
     */
    @Test
    void theSubPageReservationEndsAtThePageEnd() {
        PciFunctionSpec spec = PciFunctionSpec.builder("subpage-neighbour").ids(0x1B36, 0x00AD)
                .classCode(0x070002).bar(PciBar.mem32(0, 0x100, false)).alignBar(0, 4096)
                .bar(PciBar.mem32(1, 0x1000, false)).build();
        Dev d = new Dev(Arch.X86_64, spec);
        assertEquals(d.hw.pciResourceStart(0) + 4096, d.hw.pciResourceStart(1), "BAR1 on the next page");
        assertTrue(d.region(0).hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP));
    }

    // ------------------------------------------------------------ region info

    /**
     * {@code vfio_pci_ioctl_get_region_info} sets {@code flags = 0} for an unimplemented BAR and
     * for a function without a ROM, whatever the caller left in the field ({@code
     * vfio_get_region_info} copies the caller's struct in, flags included).
     */
    @Test
    void emptyRegionsAnswerZeroFlagsWhateverWasPassedIn() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        for (int index : new int[] {1, VfioIndex.VFIO_PCI_ROM_REGION_INDEX}) {
            byte[] b = VfioRegionInfo.request(index, VfioRegionInfo.SIZE);
            putU32(b, 4, 0xff);
            d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            VfioRegionInfo r = VfioRegionInfo.decode(b, 0);
            assertEquals(0, r.size(), "index " + index);
            assertEquals(0, r.flags(), "index " + index);
        }
    }

    /**
     * {@code vfio_pci_ioctl_get_region_info} on a ROM BAR whose image lacks the 0x55AA
     * signature: {@code pci_map_rom} returns NULL, so size 0 and no READ flag; and the
     * {@code memory_lock} taken around it ({@code vfio_pci_memory_lock_and_enable}/
     * {@code _unlock_and_restore}) is given back, with the MEMORY bit as it was.
     */
    @Test
    void aRomWithoutSignatureIsEmptyAndMemoryLockIsGivenBack() {
        PciFunctionSpec spec = PciFunctionSpec.builder("blank-rom").ids(0x1B36, 0x00AC)
                .classCode(0x020000).bar(PciBar.mem32(0, 0x4000, false))
                .rom(PciRom.bar(0x10000, new byte[0x1000])).build();
        Dev d = new Dev(Arch.X86_64, spec);
        VfioRegionInfo rom = d.region(VfioIndex.VFIO_PCI_ROM_REGION_INDEX);
        assertEquals(0, rom.size());
        assertEquals(0, rom.flags());
        Dev good = new Dev(Arch.X86_64, "hba-rom64k");
        good.hw.setMemoryEnabled(false);
        assertEquals(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ,
                good.region(VfioIndex.VFIO_PCI_ROM_REGION_INDEX).flags());
        assertTrue(!good.hw.memoryEnabled(), "the command register is restored");
        good.hw.setMemoryEnabled(true);
        assertEquals(4, (int) OtherThread.run("a BAR read after ROM REGION_INFO",
                () -> good.readBar(1)));
    }

    /**
     * {@code vfio_get_region_info}: with capabilities and a buffer too small for them the core
     * sets {@code argsz} to what is needed and {@code cap_offset = 0} whatever the caller
     * passed; when {@code argsz} claims room the buffer does not have, copying the chain out
     * is -EFAULT. The NIC VF's BAR0 carries the MSI-X mappable capability (a bare header).
     */
    @Test
    void regionInfoCapsTooSmallAndUnwritable() {
        Dev d = new Dev(Arch.X86_64, "nic-vf");
        byte[] b = VfioRegionInfo.request(0, VfioRegionInfo.SIZE);
        putU32(b, 12, 0x55);
        d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
        VfioRegionInfo r = VfioRegionInfo.decode(b, 0);
        assertTrue(r.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS));
        assertEquals(VfioRegionInfo.SIZE + 8, r.argsz());
        assertEquals(0, r.capOffset());
        byte[] lying = VfioRegionInfo.request(0, VfioRegionInfo.SIZE + 8);
        byte[] real = Arrays.copyOf(lying, VfioRegionInfo.SIZE);
        assertEquals(Errno.EFAULT, errno(() -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, real)));
    }

    /**
     * {@code vfio_pci_probe_mmaps}: a BAR that is not memory ({@code !(res->flags &
     * IORESOURCE_MEM)}) is never mmap-able, however small and wherever its ports start.
     */
    @Test
    void ioBarsAreNeverMmappable() {
        int rw = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
        assertEquals(rw, new Dev(Arch.X86_64, "ioport-bar0").region(0).flags());
        assertEquals(rw, new Dev(Arch.X86_64, "gpu-64g").region(5).flags());
        assertEquals(rw, new Dev(Arch.X86_64, "hba-rom64k").region(0).flags());
    }

    // ------------------------------------------------------------ ioeventfd

    /**
     * {@code vfio_pci_ioctl_ioeventfd}: {@code minsz = offsetofend(struct vfio_device_ioeventfd,
     * fd)}, 28 bytes: an argsz of exactly that is taken; a buffer shorter than it is -EFAULT.
     */
    @Test
    void ioeventfdMinszIsOffsetofendFd() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        byte[] ev = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                d.region(0).offset() + 0x10, 1, 5).encode();
        putU32(ev, 0, 28);
        assertEquals(0, d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, ev));
        byte[] cut = Arrays.copyOf(ev, 16);
        assertEquals(Errno.EFAULT, errno(() -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, cut)));
    }

    // ------------------------------------------------------------ device feature

    /**
     * {@code vfio_ioctl_device_feature} checks the header itself, before any driver: on a table
     * without {@code device_feature} (qat) an argsz short of the header and GET|SET without
     * PROBE are -EINVAL, not the -ENOTTY every well-formed request gets there.
     */
    @Test
    void theCoreRefusesABadHeaderEvenWithoutADriverHandler() {
        Dev d = new Dev(Arch.X86_64, "qat-vf");
        int exit = VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_EXIT;
        assertEquals(Errno.ENOTTY, errno(() -> d.feature(SET | exit, new byte[0])));
        assertEquals(Errno.ENOTTY, errno(() -> d.feature(PROBE | GET | SET | exit, new byte[0])));
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | SET | exit, new byte[0])));
        assertEquals(Errno.EINVAL, errno(() -> d.featureShort(SET | exit, 4, 8)));
    }

    /**
     * {@code vfio_pci_core_pm_entry_with_wakeup}: fd 0 is a valid eventfd number; a second entry
     * while engaged is -EINVAL from {@code vfio_pci_runtime_pm_entry}; a payload the buffer
     * does not hold is -EFAULT. Entry and exit take {@code memory_lock} for writing and give
     * it back: a read on another thread goes through after each.
     */
    @Test
    void lowPowerEntryWithWakeupEdgesAndMemoryLock() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        int wake = VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP;
        int exit = VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_EXIT;
        assertEquals(Errno.EFAULT, errno(() -> d.featureShort(SET | wake, 16, 12)));
        assertEquals(0, d.feature(SET | wake, new byte[8]), "eventfd 0");
        assertEquals(4, (int) OtherThread.run("a read after low-power entry", () -> d.readBar(0)));
        assertEquals(Errno.EINVAL, errno(() -> d.feature(SET | wake, new byte[8])), "already engaged");
        assertEquals(0, d.feature(SET | exit, new byte[0]));
        assertEquals(4, (int) OtherThread.run("a read after low-power exit", () -> d.readBar(0)));
    }

    /** {@code vfio_pci_core_feature_token}: a UUID the buffer does not hold is -EFAULT. */
    @Test
    void vfTokenPayloadPastTheBufferIsEfault() {
        byte[] cfg = PciFunctionSpec.builder("pf-template").ids(0x1B36, 0x00AB).classCode(0x020000)
                .bar(PciBar.mem32(0, 0x4000, false)).build().create(new SystemBus()).config().bytes();
        cfg[0x100] = 0x10;
        cfg[0x102] = 0x01;
        PciFunctionSpec pf = PciFunctionSpec.builder("sriov-pf").ids(0x1B36, 0x00AB)
                .classCode(0x020000).bar(PciBar.mem32(0, 0x4000, false)).configTemplate(cfg).build();
        Dev d = new Dev(Arch.X86_64, pf);
        int token = VfioDeviceFeature.VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
        assertEquals(0, d.feature(SET | token, new byte[16]));
        assertEquals(Errno.EFAULT, errno(() -> d.featureShort(SET | token, 24, 16)));
    }

    // ------------------------------------------------------------ dma-buf

    /**
     * {@code vfio_pci_core_feature_dma_buf}, {@code validate_dmabuf_input} and
     * {@code vfio_pci_core_fill_phys_vec} at their edges on the 16 KiB BAR0: a range ending
     * exactly at the BAR's end is taken; a length that is not page aligned is -EINVAL; the
     * 64-bit offset is read whole (4 GiB is past the BAR); the 16-byte head past the buffer is
     * -EFAULT.
     */
    @Test
    void dmaBufRangeEdges() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        int dmabuf = VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF;
        assertExported(d, dmaBuf(0, new long[] {0x3000, 0x1000}), "the last page of the BAR");
        assertExported(d, dmaBuf(0, new long[] {0, 0x1000}, new long[] {0x1000, 0x3000}), "two ranges");
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {0x3000, 0x2000}))), "one page past the end");
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {0, 0x800}))), "length not page aligned");
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {1L << 32, 0x1000}))), "offset 4 GiB");
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {0, 0xffff_ffff_ffff_f000L}, new long[] {0, 0x2000}))), "wraps");
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {0, 1L << 63}))), "DMA_IOVA_USE_SWIOTLB, bit 63");
        assertEquals(Errno.EFAULT, errno(() -> d.featureShort(GET | dmabuf, 24, 16)));
    }

    /**
     * {@code vfio_pci_ioctl_get_irq_info}: the ERR index exists only on PCI Express; on the
     * conventional function it is -EINVAL.
     */
    @Test
    void errIrqInfoNeedsPciExpress() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        byte[] b = new vfiowb.common.uapi.VfioIrqInfo(vfiowb.common.uapi.VfioIrqInfo.SIZE, 0,
                VfioIndex.VFIO_PCI_ERR_IRQ_INDEX, 0).encode();
        assertEquals(Errno.EINVAL, errno(() -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b)));
    }

    /**
     * On a 32-bit arch {@code memdup_array_user} refuses {@code nr_ranges * 16} past
     * {@code SIZE_MAX} with -EOVERFLOW, and
     * {@code validate_dmabuf_input}'s {@code size_t} total must not wrap: 4 GiB of ranges
     * inside the 8 GiB BAR is -EINVAL there, and taken on a 64-bit arch.
     */
    @Test
    void dmaBufOnA32BitArch() {
        Dev d = new Dev(Arch.I386, "large-bars");
        int dmabuf = VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF;
        byte[] many = new byte[16];
        putU32(many, 12, 0x1000_0000L);
        assertEquals(Errno.EOVERFLOW, errno(() -> d.feature(GET | dmabuf, many)));
        long[] a = {0, 0xffff_f000L};
        long[] b = {0xffff_f000L, 0x2000};
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf, dmaBuf(2, a, b))));
        assertExported(new Dev(Arch.X86_64, "large-bars"), dmaBuf(2, a, b), "64-bit size_t");
    }

    // ------------------------------------------------------------ mmap

    /**
     * {@code vfio_pci_core_mmap} on a device-specific region: only a region whose ops have
     * {@code mmap} and whose flags say MMAP is handed on; the IGD's OpRegion and bridge config
     * regions are read-only copies, so mmap is -EINVAL.
     */
    @Test
    void igdRegionsCannotBeMapped() {
        Dev d = new Dev(Arch.X86_64, "igd");
        for (int i = 0; i < 3; i++) {
            long off = d.region(VfioIndex.VFIO_PCI_NUM_REGIONS + i).offset();
            assertEquals(Errno.EINVAL, errno(() -> d.p.mmap(0, 4096, Mman.PROT_READ,
                    Mman.MAP_SHARED, d.fd, off)), "region " + (VfioIndex.VFIO_PCI_NUM_REGIONS + i));
        }
    }

    // ------------------------------------------------------------ huge faults

    private static java.util.Map<vfiowb.common.mm.PageTable.Level, Long> entries(long pte, long pmd) {
        return java.util.Map.of(vfiowb.common.mm.PageTable.Level.PTE, pte,
                vfiowb.common.mm.PageTable.Level.PMD, pmd, vfiowb.common.mm.PageTable.Level.PUD, 0L);
    }

    /**
     * {@code vfio_pci_mmap_huge_fault} with {@code is_aligned_for_order} (v6.19) on x86_64, BAR4
     * of the accelerator (16 MiB): the fault address is aligned down to the order, and a PMD is
     * inserted only when that block lies inside the VMA and the PFN is aligned to it. A fault in
     * the middle of a 2 MiB block maps the whole block; a VMA that ends one page into a block
     * gets a PTE there; a PFN two pages off the alignment (MAP_FIXED at an aligned VA, offset
     * 8 KiB) never gets a PMD.
     */
    @Test
    void hugeFaultsNeedTheBlockInsideTheVmaAndAnAlignedPfn() {
        Dev d = new Dev(Arch.X86_64, "large-bars");
        long bar4 = d.region(4).offset();
        long pmd = Arch.X86_64.pmdSize();
        Mapping m = d.p.mmap(0, 2 * pmd + 4096, RW, Mman.MAP_SHARED, d.fd, bar4);
        assertEquals(0, m.addr() % pmd, "a PMD-aligned VA for a PMD-aligned offset");
        assertEquals(1, m.touch(0x3000, 0x4000));
        assertEquals(entries(0, 1), m.pageTableEntries(), "one fault mapped the whole block");
        m.touchAll();
        assertEquals(entries(1, 2), m.pageTableEntries(), "the page past the last block is a PTE");

        long fixed = m.addr() - 64 * pmd;
        Mapping off = d.p.mmap(fixed, pmd, RW, Mman.MAP_SHARED | Mman.MAP_FIXED, d.fd, bar4 + 0x2000);
        off.touchAll();
        assertEquals(entries(512, 0), off.pageTableEntries(), "PFN not aligned to the order");
    }

    // ------------------------------------------------------------ user copies

    /**
     * {@code vfio_pci_ioctl_get_irq_info} and {@code vfio_pci_ioctl_get_info} copy the reply
     * back with {@code copy_to_user}: a request that reads fine from read-only memory is
     * -EFAULT there, and answered into writable memory.
     */
    @Test
    void infoRepliesIntoReadOnlyMemoryAreEfault() {
        Dev d = new Dev(Arch.X86_64, "nic-vf");
        byte[] irq = new vfiowb.common.uapi.VfioIrqInfo(vfiowb.common.uapi.VfioIrqInfo.SIZE, 0,
                VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX, 0).encode();
        assertEquals(Errno.EFAULT, errno(() -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO,
                UserBuffer.readOnly(irq.clone()))));
        assertEquals(0, d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, irq));
        assertEquals(64, vfiowb.common.uapi.VfioIrqInfo.decode(irq, 0).count(), "64 MSI-X vectors");
        byte[] info = new byte[VfioDeviceInfo.SIZE];
        info[0] = (byte) VfioDeviceInfo.SIZE;
        assertEquals(Errno.EFAULT, errno(() -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_GET_INFO,
                UserBuffer.readOnly(info))));
    }

    /**
     * {@code vfio_pci_igd_rw}: the OpRegion and bridge-config regions are copied out with
     * {@code copy_to_user}; a buffer shorter than the count is -EFAULT, and a read that starts
     * inside the region is cut at its end.
     */
    @Test
    void igdRegionCopiesFaultAndStopAtTheRegionEnd() {
        Dev d = new Dev(Arch.X86_64, "igd");
        vfiowb.common.userspace.KernelFile f = d.p.file(d.fd).kernelFile();
        for (int i = 0; i < 3; i++) {
            VfioRegionInfo r = d.region(VfioIndex.VFIO_PCI_NUM_REGIONS + i);
            assertEquals(-Errno.EFAULT, f.read(UserBuffer.allocate(2), 4, r.offset()), "region " + i);
            assertEquals(4, f.read(UserBuffer.allocate(4), 8, r.offset() + r.size() - 4), "region " + i);
        }
    }

    // ------------------------------------------------------------ dma-buf

    /**
     * {@code vfio_pci_core_feature_dma_buf}: a table whose driver sets no
     * {@code get_dmabuf_phys} (pds sets no {@code vfio_pci_device_ops}) is -EOPNOTSUPP before
     * any other check, PROBE included.
     */
    @Test
    void dmaBufWithoutGetDmabufPhysIsEopnotsupp() {
        Dev d = new Dev(Arch.X86_64, "pds-vf");
        int dmabuf = VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF;
        if (exportsDmaBufs()) {
            // The wc-dmabuf RFC gives every table the core's get_dmabuf_phys.
            assertEquals(0, d.feature(PROBE | GET | dmabuf, new byte[0]));
            return;
        }
        assertEquals(Errno.EOPNOTSUPP, errno(() -> d.feature(PROBE | GET | dmabuf, new byte[0])));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {0, 0x1000}))));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> d.feature(SET | dmabuf, new byte[0])),
                "not even the GET-only check");
    }

    /**
     * {@code vfio_pci_core_fill_phys_vec}: the range's physical start ({@code start + offset})
     * fits, but its end ({@code paddr + length}) wraps the 64-bit {@code phys_addr_t}: the
     * second {@code check_add_overflow}, -EOVERFLOW, not the -EINVAL of an end past the BAR.
     */
    @Test
    void aDmaBufRangeWhoseEndWrapsIsEoverflow() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        int dmabuf = VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF;
        long start = d.hw.pciResourceStart(0);
        long lastPage = -0x1000L - start;
        assertEquals(Errno.EOVERFLOW, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {lastPage, 0x2000}))), "paddr + length wraps");
        assertEquals(Errno.EOVERFLOW, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {lastPage, 0x1000}))), "ends at 2^64, which wraps to 0");
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf,
                dmaBuf(0, new long[] {lastPage - 0x1000, 0x1000}))), "ends below 2^64: past the BAR");
    }

    /**
     * {@code validate_dmabuf_input}: the ranges' total length must stay below
     * {@code DMA_IOVA_USE_SWIOTLB}, bit 63. On a 256 TiB BAR (2^48) 2^15 ranges of the whole
     * BAR, each inside it, total exactly 2^63: -EINVAL; one range fewer is taken (the 512 KiB
     * array is well below {@code KMALLOC_MAX_SIZE}).
     */
    @Test
    void dmaBufRangesTotallingBit63AreEinval() {
        DeviceSpec huge = PciFunctionSpec.builder("huge-bar").ids(0x1B36, 0x00AC).classCode(0x120000)
                .bar(PciBar.mem64(0, 1L << 48, true)).build();
        Dev d = new Dev(Arch.X86_64, huge);
        int dmabuf = VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF;
        long[][] all = new long[1 << 15][];
        Arrays.fill(all, new long[] {0, 1L << 48});
        assertEquals(Errno.EINVAL, errno(() -> d.feature(GET | dmabuf, dmaBuf(0, all))), "total 2^63");
        assertExported(d, dmaBuf(0, Arrays.copyOf(all, all.length - 1)), "total 2^63 - 2^48");
    }

    /**
     * {@code vfio_pci_core_mmap} (and {@code vfio_pci_core_mmap_obj} on the cookie path): the
     * ROM is never mapped, though REGION_INFO gives it an offset and a size (-EINVAL); nor is
     * a sub-page BAR whose start is not page aligned ({@code bar_mmap_supported} false).
     */
    @Test
    void theRomAndAnOffPageSubPageBarAreNeverMapped() {
        Dev d = new Dev(Arch.X86_64, "hba-rom64k");
        VfioRegionInfo rom = d.region(VfioIndex.VFIO_PCI_ROM_REGION_INDEX);
        assertTrue(rom.size() >= 4096, "a ROM of at least a page");
        assertEquals(Errno.EINVAL, errno(() -> d.p.mmap(0, 4096, Mman.PROT_READ, Mman.MAP_SHARED,
                d.fd, rom.offset())));
        Dev off = new Dev(Arch.X86_64, "subpage-offpage");
        VfioRegionInfo bar0 = off.region(0);
        assertEquals(0, bar0.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP);
        assertEquals(Errno.EINVAL, errno(() -> off.p.mmap(0, 4096, Mman.PROT_READ, Mman.MAP_SHARED,
                off.fd, bar0.offset())));
    }
}
