package vfiowb.common.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.BusPlacement;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.NvgraceGpu;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.hw.PmCapability;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * Where the model must answer as the real kernel does (issue 9 §1), written once and run by
 * every stage that carries the fixes through a one-line subclass. Everything goes through the
 * syscall boundary of a booted stage; regions are found by index through REGION_INFO, never by
 * a raw offset (except where the syscall boundary itself is the subject).
 *
 * <p>Each test names the kernel function whose behaviour it pins; real-kernel evidence is in
 * {@code ../shared/oracle/linux-6.12}.
 */
public abstract class KernelParityTests {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int EVENTFD_NORESIZE =
            VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE;
    private static final int PCI_COMMAND = 4;
    private static final int CMD_IO = 0x1;
    private static final int CMD_MEMORY = 0x2;

    private final Stage stage;

    protected KernelParityTests(Stage stage) {
        this.stage = stage;
    }

    // ---------------------------------------------------------------- harness

    /** A booted stage with one process that has every device open. */
    final class Booted {
        final Process p;
        final Map<String, Integer> fds = new LinkedHashMap<>();

        Booted(Arch arch, List<DeviceSpec> specs) {
            VfioHost host = stage.boot(arch, specs);
            p = new Process(host);
            for (DeviceSpec s : specs) {
                fds.put(s.name(), p.open(s.name()));
            }
        }

        int fd(String name) {
            return fds.get(name);
        }

        PciFunction pdev(String name) {
            return (PciFunction) p.host().device(name);
        }

        VfioDeviceInfo info(String dev) {
            byte[] b = new byte[VfioDeviceInfo.SIZE];
            b[0] = (byte) VfioDeviceInfo.SIZE;
            p.ioctl(fd(dev), VfioIoctl.VFIO_DEVICE_GET_INFO, b);
            return VfioDeviceInfo.decode(b, 0);
        }

        VfioIrqInfo irq(String dev, int index) {
            byte[] b = new VfioIrqInfo(VfioIrqInfo.SIZE, 0, index, 0).encode();
            p.ioctl(fd(dev), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b);
            return VfioIrqInfo.decode(b, 0);
        }

        VfioRegionInfo region(String dev, int index) {
            byte[] b = VfioRegionInfo.request(index, 4096);
            p.ioctl(fd(dev), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            return VfioRegionInfo.decode(b, 0);
        }

        long reset(String dev) {
            return p.ioctl(fd(dev), VfioIoctl.VFIO_DEVICE_RESET, 0L);
        }

        long read(String dev, int index, long at, int len) {
            byte[] b = new byte[len];
            long n = p.pread(fd(dev), b, region(dev, index).offset() + at);
            assertEquals(len, n, "short read");
            long v = 0;
            for (int i = len - 1; i >= 0; i--) {
                v = v << 8 | (b[i] & 0xff);
            }
            return v;
        }

        void write(String dev, int index, long at, int len, long value) {
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) {
                b[i] = (byte) (value >>> (8 * i));
            }
            assertEquals(len, p.pwrite(fd(dev), b, region(dev, index).offset() + at));
        }

        void command(String dev, int bits) {
            write(dev, VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX, PCI_COMMAND, 2, bits);
        }

        int command(String dev) {
            return (int) read(dev, VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX, PCI_COMMAND, 2);
        }

        Mapping map(String dev, int index) {
            return p.mmap(0, 4096, RW, Mman.MAP_SHARED, fd(dev), region(dev, index).offset());
        }

        /** VFIO_DEVICE_FEATURE with {@code flags} and {@code payload} after the 8-byte header. */
        long feature(String dev, int flags, byte[] payload) {
            byte[] b = new byte[VfioDeviceFeature.dataOffset() + payload.length];
            new VfioDeviceFeature(b.length, flags & 0xffff_ffffL).encodeInto(b, 0);
            System.arraycopy(payload, 0, b, VfioDeviceFeature.dataOffset(), payload.length);
            return p.ioctl(fd(dev), VfioIoctl.VFIO_DEVICE_FEATURE, b);
        }

        long ioeventfd(String dev, int index, int width, int efd) {
            byte[] b = VfioDeviceIoeventfd.of(width, region(dev, index).offset(), 0x5a, efd).encode();
            return p.ioctl(fd(dev), VfioIoctl.VFIO_DEVICE_IOEVENTFD, b);
        }
    }

    Booted boot(Arch arch, DeviceSpec... specs) {
        return new Booted(arch, List.of(specs));
    }

    Booted boot(Arch arch, String... names) {
        return boot(arch, Arrays.stream(names)
                .map(n -> DeviceCatalogue.byName(n).orElseThrow()).toArray(DeviceSpec[]::new));
    }

    static int errno(Supplier<?> call) {
        return assertThrows(ErrnoException.class, call::get).errno();
    }

    static int errno(Runnable call) {
        return assertThrows(ErrnoException.class, call::run).errno();
    }

    private static PciFunctionSpec.Builder plain(String name) {
        return PciFunctionSpec.builder(name).ids(0x1B36, 0x00AB).classCode(0x020000)
                .bar(PciBar.mem32(0, 0x4000, false));
    }

    private static byte[] u32s(long... v) {
        byte[] b = new byte[4 * v.length];
        for (int i = 0; i < v.length; i++) {
            for (int k = 0; k < 4; k++) {
                b[4 * i + k] = (byte) (v[i] >>> (8 * k));
            }
        }
        return b;
    }

    private static byte[] dmaBuf(long region, long flags, long[]... ranges) {
        byte[] head = u32s(region, 0, flags, ranges.length);
        byte[] b = Arrays.copyOf(head, head.length + 16 * ranges.length);
        for (int i = 0; i < ranges.length; i++) {
            for (int k = 0; k < 8; k++) {
                b[16 + 16 * i + k] = (byte) (ranges[i][0] >>> (8 * k));
                b[16 + 16 * i + 8 + k] = (byte) (ranges[i][1] >>> (8 * k));
            }
        }
        return b;
    }

    // ---------------------------------------------------------------- 1, 2: IRQ info

    /** {@code vfio_pci_ioctl_get_irq_info} and {@code vfio_pci_get_irq_count}. */
    @Nested
    class IrqInfo {
        @Test
        void withoutMsixTheMsixIndexIsNoresizeWithCountZero() {
            // The oracle's ivshmem-plain, pci-testdev, rtl8139, secondary-vga: flags 0x9, count 0.
            Booted b = boot(Arch.X86_64, "legacy-b0");
            VfioIrqInfo msix = b.irq("legacy-b0", VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX);
            assertEquals(EVENTFD_NORESIZE, msix.flags());
            assertEquals(0, msix.count());
            VfioIrqInfo msi = b.irq("legacy-b0", VfioIndex.VFIO_PCI_MSI_IRQ_INDEX);
            assertEquals(EVENTFD_NORESIZE, msi.flags());
            assertEquals(0, msi.count());
        }

        @Test
        void msixIsResizableOnlyWhereThePlatformAllocatesVectorsDynamically() {
            // The oracle's virtio-net (MSI-X, x86 q35): flags 0x1 with its table size.
            VfioIrqInfo x86 = boot(Arch.X86_64, "e1000e").irq("e1000e", VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX);
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, x86.flags());
            assertEquals(5, x86.count());
            VfioIrqInfo i386 = boot(Arch.I386, "e1000e").irq("e1000e", VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX);
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, i386.flags());
            VfioIrqInfo arm = boot(Arch.ARM64_4K, "e1000e").irq("e1000e", VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX);
            assertEquals(EVENTFD_NORESIZE, arm.flags(), "GICv3 ITS has no dynamic MSI-X");
            assertEquals(5, arm.count());
        }

        /**
         * The other indexes: INTx is EVENTFD|MASKABLE|AUTOMASKED with a count only for a
         * function with a pin that is no VF; ERR is offered on PCI Express only (count 1,
         * -EINVAL on conventional PCI); REQ always (count 1); both NORESIZE. An index past
         * VFIO_PCI_NUM_IRQS or an argsz short of the 16-byte structure is -EINVAL.
         */
        @Test
        void intxErrAndReqAsVfioPciGetIrqCountCountsThem() {
            int intxFlags = VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE
                    | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED;
            Booted b = boot(Arch.X86_64, "e1000e", "legacy-b0", "nic-vf");
            VfioIrqInfo intx = b.irq("legacy-b0", VfioIndex.VFIO_PCI_INTX_IRQ_INDEX);
            assertEquals(intxFlags, intx.flags());
            assertEquals(1, intx.count());
            assertEquals(0, b.irq("nic-vf", VfioIndex.VFIO_PCI_INTX_IRQ_INDEX).count(), "a VF");
            VfioIrqInfo err = b.irq("e1000e", VfioIndex.VFIO_PCI_ERR_IRQ_INDEX);
            assertEquals(EVENTFD_NORESIZE, err.flags());
            assertEquals(1, err.count());
            assertEquals(Errno.EINVAL, errno(() -> b.irq("legacy-b0", VfioIndex.VFIO_PCI_ERR_IRQ_INDEX)));
            for (String dev : List.of("e1000e", "legacy-b0")) {
                VfioIrqInfo req = b.irq(dev, VfioIndex.VFIO_PCI_REQ_IRQ_INDEX);
                assertEquals(EVENTFD_NORESIZE, req.flags(), dev);
                assertEquals(1, req.count(), dev);
                assertEquals(VfioIndex.VFIO_PCI_REQ_IRQ_INDEX, req.index(), dev);
            }
            assertEquals(Errno.EINVAL, errno(() -> b.irq("e1000e", VfioIndex.VFIO_PCI_NUM_IRQS)));
            byte[] shortArgsz = new VfioIrqInfo(VfioIrqInfo.SIZE - 1, 0, 0, 0).encode();
            assertEquals(Errno.EINVAL, errno(() -> b.p.ioctl(b.fd("e1000e"),
                    VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, shortArgsz)));
        }

        @Test
        void theMsiCountComesFromMultipleMessageCapable() {
            VfioIrqInfo e1000e = boot(Arch.X86_64, "e1000e").irq("e1000e", VfioIndex.VFIO_PCI_MSI_IRQ_INDEX);
            assertEquals(EVENTFD_NORESIZE, e1000e.flags());
            assertEquals(1, e1000e.count(), "flags 0x0080: 64-bit, one vector");
            VfioIrqInfo hisi = boot(Arch.X86_64, "hisi-acc").irq("hisi-acc", VfioIndex.VFIO_PCI_MSI_IRQ_INDEX);
            assertEquals(4, hisi.count());
        }
    }

    // ---------------------------------------------------------------- 3: reset

    /** {@code vfio_pci_core_enable}'s {@code reset_works} and {@code vfio_pci_ioctl_reset}. */
    @Nested
    class Reset {
        private boolean resetFlag(Booted b, String dev) {
            return (b.info(dev).flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET) != 0;
        }

        @Test
        void aPmResetWithoutNoSoftResetMakesANoFlrFunctionResettable() {
            Booted b = boot(Arch.X86_64, "e1000e");
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET,
                    b.info("e1000e").flags());
            b.write("e1000e", 0, 0x10, 4, 0x1234_5678);
            int cmd = b.command("e1000e");
            assertEquals(0, b.reset("e1000e"));
            assertEquals(0, b.read("e1000e", 0, 0x10, 4), "the D3hot->D0 reset cleared the registers");
            assertEquals(cmd, b.command("e1000e"), "config space restored");
        }

        @Test
        void aConventionalFunctionOnTheRootBusHasNoReset() {
            // The oracle's q35 root-bus devices: info_flag_reset false, VFIO_DEVICE_RESET EINVAL.
            Booted b = boot(Arch.X86_64, "legacy-b0");
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI, b.info("legacy-b0").flags());
            assertEquals(Errno.EINVAL, errno(() -> b.reset("legacy-b0")));
        }

        @Test
        void aBusResetNeedsABridgeAboveAndTheBusToItself() {
            PciFunctionSpec root = plain("nosoft-root").noFlr().pm(new PmCapability(true)).build();
            PciFunctionSpec alone = plain("nosoft-alone").noFlr().pm(new PmCapability(true))
                    .placement(BusPlacement.ALONE_BEHIND_BRIDGE).build();
            PciFunctionSpec shared = plain("nosoft-shared").noFlr()
                    .placement(BusPlacement.SHARED_BUS).build();
            Booted b = boot(Arch.X86_64, root, alone, shared);
            assertFalse(resetFlag(b, "nosoft-root"), "No_Soft_Reset set and no bridge above");
            assertFalse(resetFlag(b, "nosoft-shared"));
            assertTrue(resetFlag(b, "nosoft-alone"));
            b.write("nosoft-alone", 0, 0, 4, 0xabcd);
            assertEquals(0, b.reset("nosoft-alone"));
            assertEquals(0, b.read("nosoft-alone", 0, 0, 4));
        }

        @Test
        void conventionalPciResetsThroughTheAdvancedFeaturesCapability() {
            Booted b = boot(Arch.X86_64, plain("af").conventional().afFlr().build());
            assertTrue(resetFlag(b, "af"));
            b.write("af", 0, 8, 4, 7);
            assertEquals(0, b.reset("af"));
            assertEquals(0, b.read("af", 0, 8, 4));
        }
    }

    // ---------------------------------------------------------------- 4: ROM with decode off

    /** {@code vfio_pci_bar_rw} maps the ROM with {@code pci_map_rom} before any memory test. */
    @Nested
    class RomWithMemoryDecodeOff {
        @Test
        void aRomBarReadIsEnomemAndRegionInfoStillSeesTheRom() {
            // The oracle's rtl8139 and virtio-net: mem_disabled_rom_4@0 -> ENOMEM.
            Booted b = boot(Arch.X86_64, "e1000e");
            int rom = VfioIndex.VFIO_PCI_ROM_REGION_INDEX;
            assertEquals(0xAA55, b.read("e1000e", rom, 0, 2));
            int cmd = b.command("e1000e");
            b.command("e1000e", cmd & ~CMD_MEMORY);
            assertEquals(Errno.ENOMEM, errno(() -> b.read("e1000e", rom, 0, 4)));
            assertEquals(Errno.EIO, errno(() -> b.read("e1000e", 0, 0, 4)), "a BAR fails the memory test");
            VfioRegionInfo ri = b.region("e1000e", rom);
            assertEquals(256 << 10, ri.size(), "REGION_INFO enables decode around pci_map_rom");
            assertEquals(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ, ri.flags());
            assertEquals(cmd & ~CMD_MEMORY, b.command("e1000e"), "and restores it");
            b.command("e1000e", cmd);
            assertEquals(0xAA55, b.read("e1000e", rom, 0, 2));
        }

        @Test
        void aShadowRomIsRamAndFailsTheMemoryTestWithEio() {
            Booted b = boot(Arch.X86_64, "igd");
            int rom = VfioIndex.VFIO_PCI_ROM_REGION_INDEX;
            assertEquals(0xAA55, b.read("igd", rom, 0, 2));
            b.command("igd", b.command("igd") & ~CMD_MEMORY);
            assertEquals(Errno.EIO, errno(() -> b.read("igd", rom, 0, 4)));
        }
    }

    // ---------------------------------------------------------------- 5: reset_done hooks

    /** {@code pci_dev_restore} calls the driver's {@code reset_done}. */
    @Nested
    class ResetDone {
        @Test
        void virtioLegacyIoNeedsIoDecodeAgainAfterAReset() {
            String dev = "virtio-net-transitional";
            Booted b = boot(Arch.X86_64, dev);
            assertEquals(Errno.EIO, errno(() -> b.read(dev, 0, 0, 4)), "pci_cmd starts 0");
            b.command(dev, b.command(dev) | CMD_IO);
            b.read(dev, 0, 0, 4);
            assertEquals(0, b.reset(dev));
            assertEquals(Errno.EIO, errno(() -> b.read(dev, 0, 0, 4)),
                    "virtiovf_legacy_io_reset_done cleared pci_cmd");
            b.command(dev, b.command(dev) | CMD_IO);
            b.read(dev, 0, 0, 4);
        }

        @Test
        void graceWaitsForTheGpuOnTheFirstAccessAfterAReset() {
            String dev = "nvgrace-gh200";
            Booted b = boot(Arch.ARM64_4K, dev);
            int usemem = VfioIndex.VFIO_PCI_BAR4_REGION_INDEX;
            long c2c = NvgraceGpu.c2cLinkBar0Offset();
            b.read(dev, usemem, 0, 8);
            assertEquals(0, b.reset(dev));
            b.write(dev, 0, c2c, 4, 0);
            assertEquals(Errno.ETIME, errno(() -> b.read(dev, usemem, 0, 8)), "C2C link not ready");
            assertEquals(Errno.ETIME, errno(() -> b.write(dev, usemem, 0, 8, 1)));
            Mapping m = b.map(dev, usemem);
            assertThrows(SigbusException.class, () -> m.load(0, 8));
            b.write(dev, 0, c2c, 4, NvgraceGpu.statusReady());
            b.write(dev, usemem, 0, 8, 0x1122);
            assertEquals(0x1122, m.load(0, 8));
            b.write(dev, 0, c2c, 4, 0);
            assertEquals(0x1122, b.read(dev, usemem, 0, 8), "only the first access after a reset waits");
        }
    }

    // ---------------------------------------------------------------- 6: ioeventfd width

    /** {@code vfio_pci_ioeventfd}: {@code count == 8} is refused on every arch since v6.14. */
    @ParameterizedTest
    @EnumSource(value = Arch.class, names = {"X86_64", "I386", "ARM64_4K"})
    void anEightByteIoeventfdIsEinvalEverywhere(Arch arch) {
        Booted b = boot(arch, "legacy-b0");
        assertEquals(Errno.EINVAL, errno(() -> b.ioeventfd("legacy-b0", 0,
                VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_64, 9)));
        assertEquals(0, b.ioeventfd("legacy-b0", 0, VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, 9));
    }

    // ---------------------------------------------------------------- 7: 32-bit mmap

    /** glibc's {@code mmap64} on i386, then the kernel's {@code file_mmap_ok}. */
    @Test
    void aThirtyTwoBitProcessGetsEinvalPastMmap2sPageNumberAndEoverflowBelow() {
        Booted b = boot(Arch.I386, "legacy-b0");
        int fd = b.fd("legacy-b0");
        assertEquals(Errno.EINVAL, errno(() -> b.p.mmap(0, 4096, RW, Mman.MAP_SHARED, fd, 16L << 40)));
        assertEquals(Errno.EOVERFLOW, errno(() -> b.p.mmap(0, 4096, RW, Mman.MAP_SHARED, fd, 15L << 40)));
        assertEquals(Errno.EOVERFLOW, errno(() -> b.p.mmap(0, 4096, RW, Mman.MAP_SHARED, fd, 0xFFFF_F000L)));
    }

    // ---------------------------------------------------------------- 8: device features

    /**
     * vfio_pci_ioctl_ioeventfd and vfio_pci_ioeventfd on the NIC VF (BAR0 64 KiB with the
     * 64-entry MSI-X table at 0x8000, BAR3 16 KiB): the argument's checks (argsz, unknown flags,
     * exactly one size bit, fd >= -1), then the region (a BAR only), the range (inside the BAR,
     * clear of the MSI-X table), the same registration again (-EEXIST), fd -1 removing one
     * (-ENODEV when there is none).
     */
    @Test
    void ioeventfdChecksItsArgumentAndItsRange() {
        String dev = "nic-vf";
        Booted b = boot(Arch.X86_64, DeviceCatalogue.byName(dev).orElseThrow());
        long bar0 = b.region(dev, 0).offset();
        long bar3 = b.region(dev, 3).offset();
        long cfg = b.region(dev, 7).offset();
        int w4 = VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32;
        int w2 = VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_16;
        java.util.function.Function<byte[], Long> call = arg ->
                b.p.ioctl(b.fd(dev), VfioIoctl.VFIO_DEVICE_IOEVENTFD, arg);
        assertEquals(0, call.apply(VfioDeviceIoeventfd.of(w4, bar3 + 0x3ffc, 1, 5).encode()));
        assertEquals(0, call.apply(VfioDeviceIoeventfd.of(w2, bar3 + 0x3ffe, 1, 5).encode()));
        assertEquals(Errno.EINVAL, errno(() -> call.apply(
                VfioDeviceIoeventfd.of(w4, bar3 + 0x3ffd, 1, 5).encode())), "past the BAR");
        assertEquals(Errno.EINVAL, errno(() -> call.apply(
                VfioDeviceIoeventfd.of(w4, cfg, 1, 5).encode())), "not a BAR");
        assertEquals(0, call.apply(VfioDeviceIoeventfd.of(w4, bar0 + 0x7ffc, 1, 5).encode()));
        assertEquals(0, call.apply(VfioDeviceIoeventfd.of(w4, bar0 + 0x8400, 1, 5).encode()));
        for (long inTable : new long[] {0x7ffe, 0x8000, 0x83fc}) {
            assertEquals(Errno.EINVAL, errno(() -> call.apply(VfioDeviceIoeventfd.of(
                    inTable == 0x7ffe ? w4 : w2, bar0 + inTable, 1, 5).encode())),
                    "the MSI-X table at " + Long.toHexString(inTable));
        }
        byte[] again = VfioDeviceIoeventfd.of(w4, bar3 + 0x3ffc, 1, 5).encode();
        assertEquals(Errno.EEXIST, errno(() -> call.apply(again)));
        assertEquals(0, call.apply(VfioDeviceIoeventfd.of(w4, bar3 + 0x3ffc, 2, 5).encode()),
                "other data is another registration");
        byte[] remove = VfioDeviceIoeventfd.of(w4, bar3 + 0x3ffc, 1, -1).encode();
        assertEquals(0, call.apply(remove));
        assertEquals(Errno.ENODEV, errno(() -> call.apply(remove)));
        assertEquals(0, call.apply(again), "registered again once removed");
        assertEquals(Errno.EINVAL, errno(() -> call.apply(
                VfioDeviceIoeventfd.of(w4, bar3, 1, -2).encode())), "fd below -1");
        assertEquals(Errno.EINVAL, errno(() -> call.apply(
                VfioDeviceIoeventfd.of(w4 | w2, bar3, 1, 5).encode())), "two sizes");
        assertEquals(Errno.EINVAL, errno(() -> call.apply(
                VfioDeviceIoeventfd.of(0, bar3, 1, 5).encode())), "no size");
        assertEquals(Errno.EINVAL, errno(() -> call.apply(
                VfioDeviceIoeventfd.of(w4 | 1 << 4, bar3, 1, 5).encode())), "unknown flag");
        byte[] shortArgsz = VfioDeviceIoeventfd.of(w4, bar3, 1, 5).encode();
        shortArgsz[0] = 8;
        assertEquals(Errno.EINVAL, errno(() -> call.apply(shortArgsz)), "argsz");
    }

    /** {@code vfio_pci_core_ioctl_feature}, the {@code device_feature} of vfio-pci based tables. */
    @Nested
    class DeviceFeature {
        private final int probe = VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE;
        private final int get = VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET;
        private final int set = VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET;

        /**
         * vfio_ioctl_device_feature checks the header before any driver sees it: argsz short of
         * the 8-byte header, an unknown flag bit, or GET and SET together without PROBE are
         * -EINVAL; a header the buffer cannot hold is -EFAULT; the migration and DMA-logging
         * features of a table without mig_ops/log_ops are -ENOTTY. GET|SET|PROBE passes on to the
         * feature, which probes it (vfio_check_feature: LOW_POWER_EXIT is SET only, so -EINVAL;
         * PROBE|SET is 0).
         */
        @Test
        void theCoreChecksTheHeaderFirst() {
            String dev = "legacy-b0";
            Booted b = boot(Arch.X86_64, dev);
            int exit = VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_EXIT;
            byte[] shortArgsz = new byte[8];
            new VfioDeviceFeature(4, set | exit).encodeInto(shortArgsz, 0);
            assertEquals(Errno.EINVAL, errno(() -> b.p.ioctl(b.fd(dev), VfioIoctl.VFIO_DEVICE_FEATURE,
                    shortArgsz)));
            assertEquals(Errno.EFAULT, errno(() -> b.p.ioctl(b.fd(dev), VfioIoctl.VFIO_DEVICE_FEATURE,
                    new byte[4])));
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, (1 << 19) | set | exit, new byte[0])));
            assertEquals(Errno.ENOTTY, errno(() -> b.feature(dev, 0x7fff | set, new byte[0])), "no such feature");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, get | set | exit, new byte[0])));
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, probe | get | set | exit, new byte[0])));
            assertEquals(0, b.feature(dev, probe | set | exit, new byte[0]));
            for (int f = VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIGRATION;
                    f <= VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE; f++) {
                if (f == VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIGRATION
                        || f == VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
                        || f >= VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_START) {
                    int feature = f;
                    assertEquals(Errno.ENOTTY, errno(() -> b.feature(dev, probe | get | feature,
                            new byte[0])), "feature " + f);
                }
            }
        }

        @Test
        void lowPowerEntryZapsAndFaultsUntilExit() {
            String dev = "legacy-b0";
            Booted b = boot(Arch.X86_64, dev);
            int entry = VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY;
            int exit = VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_EXIT;
            assertEquals(0, b.feature(dev, probe | set | entry, new byte[0]));
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, probe | get | entry, new byte[0])));
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, entry, new byte[0])), "neither GET nor SET");
            Mapping m = b.map(dev, 0);
            m.store(0, 4, 0x77);
            assertEquals(0, b.feature(dev, set | entry, new byte[0]));
            assertThrows(SigbusException.class, () -> m.load(0, 4), "pm_runtime_engaged");
            assertEquals(0x77, b.read(dev, 0, 0, 4), "read/write resume the device around the access");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, set | entry, new byte[0])), "already engaged");
            assertEquals(0, b.feature(dev, set | exit, new byte[0]));
            assertEquals(0x77, m.load(0, 4));
            assertEquals(0, b.feature(dev, set | exit, new byte[0]), "exit without entry is fine");
        }

        @Test
        void lowPowerWithWakeupWantsAnEventfd() {
            String dev = "legacy-b0";
            Booted b = boot(Arch.X86_64, dev);
            int wake = VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP;
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, set | wake, new byte[4])), "payload is 8 bytes");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, set | wake, u32s(-1, 0))));
            assertEquals(0, b.feature(dev, set | wake, u32s(9, 0)));
            assertThrows(SigbusException.class, () -> b.map(dev, 0).load(0, 4));
        }

        @Test
        void theVfTokenBelongsToAnSriovPfOnly() {
            int token = VfioDeviceFeature.VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
            Booted vf = boot(Arch.X86_64, "nic-vf", "legacy-b0");
            assertEquals(Errno.ENOTTY, errno(() -> vf.feature("nic-vf", probe | set | token, new byte[0])));
            assertEquals(Errno.ENOTTY, errno(() -> vf.feature("legacy-b0", set | token, new byte[16])));
            Booted pf = boot(Arch.X86_64, sriovPf());
            assertEquals(0, pf.feature("sriov-pf", probe | set | token, new byte[0]));
            assertEquals(Errno.EINVAL, errno(() -> pf.feature("sriov-pf", get | token, new byte[16])),
                    "GET could leak the previous user's token");
            assertEquals(Errno.EINVAL, errno(() -> pf.feature("sriov-pf", set | token, new byte[8])));
            assertEquals(0, pf.feature("sriov-pf", set | token, new byte[16]));
        }

        /** A PF: a synthesised PCIe function whose config image gains an SR-IOV capability. */
        private PciFunctionSpec sriovPf() {
            byte[] cfg = plain("pf-template").build().create(new SystemBus()).config().bytes();
            cfg[0x100] = 0x10;
            cfg[0x102] = 0x01;
            return plain("sriov-pf").configTemplate(cfg).build();
        }

        @Test
        void dmaBufChecksItsArgumentsThenCannotExportInTheModel() {
            String dev = "legacy-b0";
            Booted b = boot(Arch.X86_64, dev, "mlx5-vf", "qat-vf", "ioport-bar0");
            int dmabuf = VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF;
            long[] page = {0, 4096};
            assertEquals(0, b.feature(dev, probe | get | dmabuf, new byte[0]));
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, set | dmabuf, dmaBuf(0, 0, page))));
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, get | dmabuf, new byte[8])), "short header");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, get | dmabuf, dmaBuf(0, 0))), "no ranges");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, get | dmabuf, dmaBuf(0, 1, page))), "flags");
            assertEquals(Errno.ENODEV, errno(() -> b.feature(dev, get | dmabuf,
                    dmaBuf(VfioIndex.VFIO_PCI_ROM_REGION_INDEX, 0, page))));
            assertEquals(Errno.EFAULT, errno(() -> b.feature(dev, get | dmabuf,
                    Arrays.copyOf(dmaBuf(0, 0, page), 24))), "ranges past the buffer");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, get | dmabuf,
                    dmaBuf(0, 0, new long[] {0x800, 4096}))), "unaligned");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, get | dmabuf,
                    dmaBuf(0, 0, new long[] {0, 0}))), "empty");
            assertEquals(Errno.EINVAL, errno(() -> b.feature(dev, get | dmabuf,
                    dmaBuf(0, 0, new long[] {0x4000, 4096}))), "past the 16 KiB BAR");
            assertEquals(Errno.EINVAL, errno(() -> b.feature("ioport-bar0", get | dmabuf,
                    dmaBuf(0, 0, page))), "no P2P provider for an I/O BAR");
            if ("wc-dmabuf".equals(stage.variant())) {
                // Matt Evans' series: mmap-able dma-bufs from every table that maps through
                // vfio-pci-core, with the core's get_dmabuf_phys where the driver sets none.
                assertTrue(b.feature(dev, get | dmabuf, dmaBuf(0, 0, page)) >= 3, "a dma-buf fd");
                assertEquals(0, b.feature("mlx5-vf", probe | get | dmabuf, new byte[0]));
                assertEquals(0, b.feature("qat-vf", probe | get | dmabuf, new byte[0]));
            } else {
                assertEquals(Errno.EOPNOTSUPP, errno(() -> b.feature(dev, get | dmabuf, dmaBuf(0, 0, page))),
                        "every check passed; the model has no dma-buf to export");
                assertEquals(Errno.EOPNOTSUPP, errno(() -> b.feature("mlx5-vf", probe | get | dmabuf,
                        new byte[0])), "mlx5 sets no vfio_pci_device_ops");
                assertEquals(Errno.ENOTTY, errno(() -> b.feature("qat-vf", probe | get | dmabuf, new byte[0])),
                        "qat_vf_pci_ops has no device_feature");
            }
            assertEquals(Errno.ENOTTY, errno(() -> b.feature(dev, probe | get | 13, new byte[0])));
        }
    }

    /** drivers/vfio/pci/vfio_pci_rdwr.c as the device sees it (access widths, windows, locks). */
    @Nested
    class Rdwr extends VfioPciRdwrParity {
        Rdwr() {
            super(stage);
        }
    }

    /** vfio_pci_core.c, vfio_pci_dmabuf.c and the core's ioctl heads at their edges. */
    @Nested
    class Core extends VfioPciCoreParity {
        Core() {
            super(stage);
        }
    }

    /** Guards the harness itself: what {@link Booted#read} decodes is what was written. */
    @Test
    void theHarnessReadsBackWhatItWrites() {
        Booted b = boot(Arch.X86_64, "legacy-b0");
        b.write("legacy-b0", 0, 0x20, 8, 0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, b.read("legacy-b0", 0, 0x20, 8));
        byte[] raw = new byte[2];
        b.p.pread(b.fd("legacy-b0"), raw, b.region("legacy-b0", 0).offset() + 0x20);
        assertArrayEquals(new byte[] {0x08, 0x07}, raw);
    }
}
