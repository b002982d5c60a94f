package vfiowb.common.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.testing.OtherThread;
import vfiowb.common.testing.PciAccessLog.Access;
import vfiowb.common.testing.PciAccessLog;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * drivers/vfio/pci/vfio_pci_rdwr.c as the device sees it: the width and order of every access
 * {@code vfio_pci_core_do_io_rw} makes (read off the bus analyser by {@link PciAccessLog}), the
 * excluded ranges (MSI-X table, ROM past its image), the legacy VGA windows' edges, the
 * memory-enable test and its {@code memory_lock}, and -EFAULT from the user copies. Run by
 * every stage through {@link KernelParityTests}; each test names the kernel function.
 */
public abstract class VfioPciRdwrParity {
    private static final int PCI_COMMAND = 4;
    private static final int CMD_IO = 0x1;
    private static final int CMD_MEMORY = 0x2;
    private static final int VGA = PciAccessLog.VGA_LEGACY;
    private static final int ROM = PciFunction.PCI_ROM_RESOURCE;

    private final Stage stage;

    protected VfioPciRdwrParity(Stage stage) {
        this.stage = stage;
    }

    /** One process with one device open. */
    final class Dev {
        final Process p;
        final int fd;
        final PciFunction hw;

        Dev(Arch arch, String name) {
            p = new Process(stage.boot(arch, List.of(DeviceCatalogue.byName(name).orElseThrow())));
            fd = p.open(name);
            hw = (PciFunction) p.host().device(name);
        }

        long region(int index) {
            byte[] b = VfioRegionInfo.request(index, 4096);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            return VfioRegionInfo.decode(b, 0).offset();
        }

        /** pread of {@code n} bytes, with what the device saw. */
        Seen read(int index, long at, int n) {
            byte[] b = new byte[n];
            long off = region(index) + at;
            PciAccessLog log = PciAccessLog.start(hw);
            long got = p.pread(fd, b, off);
            return new Seen(got, b, log.stop());
        }

        /** pwrite of {@code data}, with what the device saw. */
        Seen write(int index, long at, byte[] data) {
            long off = region(index) + at;
            PciAccessLog log = PciAccessLog.start(hw);
            long got = p.pwrite(fd, data, off);
            return new Seen(got, data, log.stop());
        }

        void command(int bits) {
            byte[] b = {(byte) bits, (byte) (bits >>> 8)};
            assertEquals(2, p.pwrite(fd, b, region(VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX) + PCI_COMMAND));
        }

        int command() {
            byte[] b = new byte[2];
            p.pread(fd, b, region(VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX) + PCI_COMMAND);
            return (b[0] & 0xff) | (b[1] & 0xff) << 8;
        }
    }

    /** A transfer's return value, its bytes, and the accesses the device saw. */
    record Seen(long ret, byte[] bytes, List<Access> accesses) {}

    private static Access r(int res, long off, int width) {
        return new Access(res, off, width, false);
    }

    private static Access w(int res, long off, int width) {
        return new Access(res, off, width, true);
    }

    private static byte[] seq(int n, int first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    static int errno(Supplier<?> call) {
        return assertThrows(ErrnoException.class, call::get).errno();
    }

    // ------------------------------------------------------------ vfio_pci_core_do_io_rw

    /**
     * {@code vfio_pci_core_do_io_rw}: each step takes the widest of 8, 4, 2, 1 bytes that the
     * remaining count holds and the offset is aligned to ({@code fillable >= 8 && !(off % 8)},
     * then 4, then 2, else 1), so 15 bytes at 0x101 reach the device as 1, 2, 4, 8 bytes in
     * ascending order, for a read as for a write; a count of exactly 8, 4 or 2 at an aligned
     * offset is one access of that width.
     */
    @Test
    void doIoRwSplitsIntoNaturallyAlignedAccesses() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        Seen wr = d.write(0, 0x101, seq(15, 1));
        assertEquals(15, wr.ret());
        assertEquals(List.of(w(0, 0x101, 1), w(0, 0x102, 2), w(0, 0x104, 4), w(0, 0x108, 8)),
                wr.accesses());
        var mem = d.hw.barMemory(0).orElseThrow();
        assertEquals(0x01, mem.read(0x101, 1));
        assertEquals(0x0302, mem.read(0x102, 2));
        assertEquals(0x07060504L, mem.read(0x104, 4));
        assertEquals(0x0f0e0d0c0b0a0908L, mem.read(0x108, 8), "the qword carries bytes 8..15 in order");
        Seen rd = d.read(0, 0x101, 15);
        assertEquals(15, rd.ret());
        assertArrayEquals(seq(15, 1), rd.bytes());
        assertEquals(List.of(r(0, 0x101, 1), r(0, 0x102, 2), r(0, 0x104, 4), r(0, 0x108, 8)),
                rd.accesses());
        assertEquals(List.of(r(0, 0x200, 4), r(0, 0x204, 2), r(0, 0x206, 1)), d.read(0, 0x200, 7).accesses());
        assertEquals(List.of(r(0, 0x300, 8)), d.read(0, 0x300, 8).accesses());
        assertEquals(List.of(r(0, 0x308, 4)), d.read(0, 0x308, 4).accesses());
        assertEquals(List.of(r(0, 0x30c, 2)), d.read(0, 0x30c, 2).accesses());
        assertEquals(List.of(r(0, 0x30e, 1)), d.read(0, 0x30e, 1).accesses());
        assertEquals(List.of(r(0, 0x404, 4), r(0, 0x408, 8), r(0, 0x410, 4)),
                d.read(0, 0x404, 16).accesses(), "8 at 0x404 is not qword aligned");
    }

    /**
     * {@code vfio_pci_iordwr64} on a 32-bit arch: vfio_pci_rdwr.c includes
     * io-64-nonatomic-lo-hi.h, whose {@code ioread64}/{@code iowrite64} are two 32-bit accesses,
     * the low dword (lower address) first, then the high one.
     */
    @Test
    void aQwordOnA32BitArchIsTwoDwordsLowFirst() {
        Dev d = new Dev(Arch.I386, "legacy-b0");
        byte[] data = seq(8, 0x11);
        Seen wr = d.write(0, 0x40, data);
        assertEquals(8, wr.ret());
        assertEquals(List.of(w(0, 0x40, 4), w(0, 0x44, 4)), wr.accesses());
        var mem = d.hw.barMemory(0).orElseThrow();
        assertEquals(0x14131211L, mem.read(0x40, 4));
        assertEquals(0x18171615L, mem.read(0x44, 4));
        mem.write(0x48, 8, 0x8877_6655_4433_2211L);
        Seen rd = d.read(0, 0x48, 8);
        assertEquals(List.of(r(0, 0x48, 4), r(0, 0x4c, 4)), rd.accesses());
        assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88},
                rd.bytes());
        Dev x = new Dev(Arch.X86_64, "legacy-b0");
        assertEquals(List.of(w(0, 0x40, 8)), x.write(0, 0x40, data).accesses(), "64-bit: one qword");
    }

    /**
     * {@code vfio_pci_bar_rw} excludes the MSI-X table ({@code x_start = msix_offset},
     * {@code x_end = msix_offset + msix_size}) and {@code vfio_pci_core_do_io_rw} reads it as
     * 0xFF and drops writes there without touching the device: the NIC VF's 64-entry table at
     * 0x8000-0x83ff of BAR0.
     */
    @Test
    void theMsixTableIsFilledWithOnesAndNeverReached() {
        Dev d = new Dev(Arch.X86_64, "nic-vf");
        var mem = d.hw.barMemory(0).orElseThrow();
        mem.write(0x7ff8, 8, 0x0102_0304_0506_0708L);
        mem.write(0x8400, 8, 0x1112_1314_1516_1718L);
        long ctl63 = mem.read(0x83fc, 4);

        Seen before = d.read(0, 0x7ff8, 16);
        assertEquals(16, before.ret());
        assertEquals(List.of(r(0, 0x7ff8, 8)), before.accesses());
        byte[] want = new byte[16];
        Arrays.fill(want, (byte) 0xff);
        for (int i = 0; i < 8; i++) {
            want[i] = (byte) (0x08 - i);
        }
        assertArrayEquals(want, before.bytes());

        Seen after = d.read(0, 0x83f8, 16);
        assertEquals(List.of(r(0, 0x8400, 8)), after.accesses());
        Arrays.fill(want, (byte) 0xff);
        for (int i = 0; i < 8; i++) {
            want[8 + i] = (byte) (0x18 - i);
        }
        assertArrayEquals(want, after.bytes());

        Seen edge = d.read(0, 0x7ffe, 3);
        assertEquals(3, edge.ret());
        assertEquals(List.of(r(0, 0x7ffe, 2)), edge.accesses(), "only the 2 bytes before the table");
        assertEquals((byte) 0xff, edge.bytes()[2]);

        Seen table = d.read(0, 0x8000, 0x400);
        assertEquals(0x400, table.ret());
        assertEquals(List.of(), table.accesses());
        for (byte b : table.bytes()) {
            assertEquals((byte) 0xff, b);
        }

        Seen wr = d.write(0, 0x83f8, seq(16, 0x40));
        assertEquals(16, wr.ret());
        assertEquals(List.of(w(0, 0x8400, 8)), wr.accesses(), "the table's part is dropped");
        assertEquals(ctl63, mem.read(0x83fc, 4), "entry 63 stays as it was");
        assertEquals(0x4f4e4d4c4b4a4948L, mem.read(0x8400, 8));
    }

    /**
     * The user copies of {@code vfio_pci_core_do_io_rw} and {@code vfio_pci_iordwr*}: a buffer
     * that faults part way makes the whole read or write -EFAULT (the filled 0xFF bytes of an
     * excluded range too), not a short count.
     */
    @Test
    void aFaultingUserBufferIsEfault() {
        Dev d = new Dev(Arch.X86_64, "nic-vf");
        long bar0 = d.region(0);
        var file = d.p.file(d.fd).kernelFile();
        assertEquals(-Errno.EFAULT, file.read(UserBuffer.allocate(4), 8, bar0 + 0x10));
        assertEquals(-Errno.EFAULT, file.write(UserBuffer.allocate(4), 8, bar0 + 0x10));
        assertEquals(-Errno.EFAULT, file.read(UserBuffer.allocate(4), 16, bar0 + 0x8000));
        assertEquals(16, file.read(UserBuffer.allocate(16), 16, bar0 + 0x8000));
    }

    // ------------------------------------------------------------ vfio_pci_bar_rw

    /**
     * {@code vfio_pci_bar_rw} on a ROM BAR: {@code VFIO_PCI_IO_WIDTH_4} ("vfio/pci: Disable qword
     * access to the PCI ROM bar"), so 16 bytes are four dwords; past the image
     * ({@code x_start} = the size {@code pci_map_rom} gave, {@code x_end} = the BAR's end) reads
     * are 0xFF without a device access. The HBA's 64 KiB ROM BAR holds a 40 KiB image.
     */
    @Test
    void theRomIsReadInDwordsAndPastItsImageAsOnes() {
        Dev d = new Dev(Arch.X86_64, "hba-rom64k");
        byte[] image = d.hw.romImage();
        Seen head = d.read(VfioIndex.VFIO_PCI_ROM_REGION_INDEX, 0, 16);
        assertEquals(16, head.ret());
        assertArrayEquals(Arrays.copyOf(image, 16), head.bytes());
        List<Access> data = dataAccesses(head.accesses());
        assertEquals(List.of(r(ROM, 0, 4), r(ROM, 4, 4), r(ROM, 8, 4), r(ROM, 12, 4)), data);

        Seen tail = d.read(VfioIndex.VFIO_PCI_ROM_REGION_INDEX, 0x9ff8, 16);
        assertEquals(List.of(r(ROM, 0x9ff8, 4), r(ROM, 0x9ffc, 4)), dataAccesses(tail.accesses()));
        byte[] want = new byte[16];
        Arrays.fill(want, (byte) 0xff);
        System.arraycopy(image, 0x9ff8, want, 0, 8);
        assertArrayEquals(want, tail.bytes());
        for (Access a : tail.accesses()) {
            assertTrue(a.offset() < 0xa000, "nothing past the image reaches the ROM: " + a);
        }
    }

    /** The ROM accesses after {@code pci_map_rom}'s own signature check (what the copy made). */
    private static List<Access> dataAccesses(List<Access> all) {
        List<Access> out = new ArrayList<>(all);
        while (!out.isEmpty() && out.get(0).width() == 2 && out.get(0).offset() == 0) {
            out.remove(0);
        }
        for (Access a : out) {
            assertTrue(a.width() <= 4, "no qword reaches a ROM BAR: " + a);
        }
        return out;
    }

    /**
     * {@code vfio_pci_bar_rw}'s {@code test_mem} is {@code res->flags & IORESOURCE_MEM}: a memory
     * BAR with memory decode off is -EIO ({@code vfio_pci_iordwr*} under {@code memory_lock});
     * an I/O BAR is not tested against MEMORY and still reaches the device.
     */
    @Test
    void memoryBarsAreEioWithDecodeOffIoBarsAreNot() {
        Dev d = new Dev(Arch.X86_64, "ioport-bar0");
        d.command(CMD_IO);
        assertEquals(Errno.EIO, errno(() -> d.p.pread(d.fd, new byte[4], d.region(4))));
        assertEquals(Errno.EIO, errno(() -> d.p.pwrite(d.fd, new byte[4], d.region(4))));
        Seen io = d.write(0, 0x4, new byte[] {1, 2});
        assertEquals(2, io.ret());
        assertEquals(List.of(w(0, 4, 2)), io.accesses());
        d.command(CMD_IO | CMD_MEMORY);
        assertEquals(4, d.p.pread(d.fd, new byte[4], d.region(4)));
    }

    // ------------------------------------------------------------ vfio_pci_vga_rw

    /**
     * {@code vfio_pci_vga_rw}: 0xa0000-0xbffff, 0x3b0-0x3bb and 0x3c0-0x3df, each edge byte
     * included; the bytes just outside are -EINVAL. The device sees the access at the legacy
     * address.
     */
    @Test
    void vgaWindowsIncludeTheirEdgeBytes() {
        Dev d = new Dev(Arch.X86_64, "gpu-64g");
        int vga = VfioIndex.VFIO_PCI_VGA_REGION_INDEX;
        for (long in : new long[] {0xa0000, 0xbffff, 0x3b0, 0x3bb, 0x3c0, 0x3df}) {
            Seen s = d.read(vga, in, 1);
            assertEquals(1, s.ret(), Long.toHexString(in));
            assertEquals(List.of(r(VGA, in, 1)), s.accesses(), Long.toHexString(in));
        }
        for (long out : new long[] {0x9ffff, 0xc0000, 0x3af, 0x3bc, 0x3bf, 0x3e0}) {
            assertEquals(Errno.EINVAL, errno(() -> d.p.pread(d.fd, new byte[1], d.region(vga) + out)),
                    Long.toHexString(out));
        }
        assertEquals(List.of(w(VGA, 0xa0008, 8)), d.write(vga, 0xa0008, seq(8, 1)).accesses());
        assertEquals(List.of(r(VGA, 0x3c0, 8)), d.read(vga, 0x3c0, 8).accesses());
    }

    // ------------------------------------------------------------ memory_lock

    /**
     * {@code vfio_pci_core_ioread16}/{@code vfio_pci_core_iowrite16} with {@code test_mem}: the
     * transitional virtio VF forwards the legacy queue notify to the modern notify register
     * through them, under {@code memory_lock} held for reading, and gives it back (a reset on
     * another thread, which takes it for writing, goes through). Their -EIO is not reachable
     * here: the device is an SR-IOV VF, whose MEMORY bit is hardwired to 0
     * ({@code pdev->no_command_memory}), so {@code __vfio_pci_memory_enabled} is always true
     * and clearing MEMORY through config space changes nothing.
     */
    @Test
    void virtioNotifyReleasesMemoryLock() {
        Dev d = new Dev(Arch.X86_64, "virtio-net-transitional");
        long bar0 = d.region(0);
        d.command(d.command() | CMD_IO);
        assertEquals(2, d.p.pwrite(d.fd, new byte[] {3, 0}, bar0 + 0x10));
        assertEquals(0L, (long) OtherThread.run("reset after iowrite16",
                () -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_RESET, 0L)));
        d.command(CMD_IO);
        byte[] b = new byte[2];
        assertEquals(2, d.p.pread(d.fd, b, bar0 + 0x10), "a VF ignores MEMORY: no -EIO");
        assertEquals(0L, (long) OtherThread.run("reset after ioread16",
                () -> d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_RESET, 0L)));
    }

    /**
     * {@code vfio_pci_ioctl_reset} and {@code vfio_pci_memory_unlock_and_restore}: the reset
     * takes {@code memory_lock} for writing and gives it back, so a read on another thread
     * afterwards is not blocked; the function's MEMORY bit is what it was before the reset.
     */
    @Test
    void resetGivesMemoryLockBack() {
        Dev d = new Dev(Arch.X86_64, "nic-vf");
        long before = d.hw.resetCount();
        assertEquals(0, d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_RESET, 0L));
        assertTrue(d.hw.resetCount() > before);
        long bar0 = d.region(0);
        assertEquals(4L, (long) OtherThread.run("a BAR read after the reset",
                () -> d.p.pread(d.fd, new byte[4], bar0)));
        assertFalse(d.hw.resetCount() == before);
    }

    // ------------------------------------------------------------ vfio_pci_ioeventfd

    private static long ioeventfd(Dev d, int index, long at, long data, int fd) {
        return ioeventfdAt(d, d.region(index) + at, data, fd);
    }

    private static long ioeventfdAt(Dev d, long offset, long data, int fd) {
        byte[] b = vfiowb.common.uapi.VfioDeviceIoeventfd.of(
                vfiowb.common.uapi.VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                offset, data, fd).encode();
        return d.p.ioctl(d.fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, b);
    }

    /**
     * {@code vfio_pci_ioeventfd}: BAR5 is still a BAR ({@code bar > VFIO_PCI_BAR5_REGION_INDEX}
     * is the refusal; the GPU's BAR5 is 128 bytes of I/O); fd 0 is a descriptor like any other
     * ({@code fd < 0} is -ENODEV); and at most {@code VFIO_PCI_IOEVENTFD_MAX} (1000) are
     * registered at once (-ENOSPC), room coming back when one is removed.
     */
    @Test
    void ioeventfdBar5FdZeroAndTheLimit() {
        Dev gpu = new Dev(Arch.X86_64, "gpu-64g");
        assertEquals(0, ioeventfd(gpu, 5, 0x7c, 1, 5));
        assertEquals(0, ioeventfd(gpu, 5, 0x78, 1, 0), "fd 0");
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        long at = d.region(0) + 0x40;
        for (int i = 0; i < 1000; i++) {
            if (ioeventfdAt(d, at, i, 7) != 0) {
                throw new AssertionError("registration " + i);
            }
        }
        assertEquals(Errno.ENOSPC, errno(() -> ioeventfd(d, 0, 0x40, 1000, 7)));
        assertEquals(0, ioeventfd(d, 0, 0x40, 999, -1));
        assertEquals(0, ioeventfd(d, 0, 0x40, 1000, 7));
    }

    // ------------------------------------------------------------ vma_to_pfn

    /**
     * {@code vma_to_pfn}: the BAR's start PFN plus the page offset within the region, so a
     * mapping made two pages into BAR0 reaches the BAR at 0x2000.
     */
    @Test
    void aMappingPagesIntoTheBarReachesThatOffset() {
        Dev d = new Dev(Arch.X86_64, "nic-vf");
        vfiowb.common.userspace.Mapping m = d.p.mmap(0, 4096,
                vfiowb.common.mm.Mman.PROT_READ | vfiowb.common.mm.Mman.PROT_WRITE,
                vfiowb.common.mm.Mman.MAP_SHARED, d.fd, d.region(0) + 0x2000);
        m.store(0x10, 4, 0x5566_7788L);
        assertEquals(0x5566_7788L, d.hw.barMemory(0).orElseThrow().read(0x2010, 4));
        assertEquals(0, d.hw.barMemory(0).orElseThrow().read(0x10, 4));
    }

    // ------------------------------------------------------------ vfio_basic_config_write

    /**
     * {@code vfio_basic_config_write} for PCI_COMMAND takes {@code memory_lock} for writing
     * (zapping first when MEMORY goes off) and gives it back: a read on another thread after
     * each kind of write goes through.
     */
    @Test
    void aCommandWriteGivesMemoryLockBack() {
        Dev d = new Dev(Arch.X86_64, "legacy-b0");
        d.command(0);
        assertEquals(Errno.EIO, (int) OtherThread.run("a read after MEMORY off",
                () -> errno(() -> d.p.pread(d.fd, new byte[4], d.region(0)))));
        d.command(CMD_MEMORY);
        assertEquals(4L, (long) OtherThread.run("a read after MEMORY on",
                () -> d.p.pread(d.fd, new byte[4], d.region(0))));
    }

    // ------------------------------------------------------------ range_intersect_range

    private static long le(byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    private static long cfg(Dev d, long at, int n) {
        byte[] b = new byte[n];
        assertEquals(n, d.p.pread(d.fd, b, d.region(VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX) + at));
        return le(b);
    }

    /**
     * {@code vfio_pci_core_range_intersect_range}, as virtio-vfio-pci's config read uses it for
     * the emulated BAR0 register (0x10, 4 bytes, the I/O space bit set) and device ID (0x02,
     * 0x1000): a read that starts at the register, one that ends at its start, one that starts
     * inside it and one that starts before it each get exactly the emulated bytes they overlap
     * ({@code min(buf_cnt, reg_start + reg_cnt - buf_start)} from inside) and the device's
     * bytes elsewhere.
     */
    @Test
    void virtioBar0RegisterOverlapsAreClipped() {
        Dev d = new Dev(Arch.X86_64, "virtio-net-transitional");
        long bar0 = cfg(d, 0x10, 4);
        assertEquals(1, bar0 & 1, "PCI_BASE_ADDRESS_SPACE_IO");
        assertEquals(bar0 & 0xff, cfg(d, 0x10, 1));
        long before = cfg(d, 0x0c, 4);
        long bar1 = cfg(d, 0x14, 4);
        assertEquals((bar0 >>> 16) | (bar1 & 0xffff) << 16, cfg(d, 0x12, 4), "starts inside");
        assertEquals((before & 0xffff) | (bar0 & 0xffff) << 16, cfg(d, 0x0e, 4), "starts before");
        assertEquals(before, cfg(d, 0x0c, 4), "ends at the register's start");
        long status = cfg(d, 0x06, 1);
        assertTrue(status != 0, "the capability-list bit: a byte the emulation must not touch");
        assertEquals(0x10 | (cfg(d, 0x04, 1) | cfg(d, 0x05, 1) << 8 | status << 16) << 8,
                cfg(d, 0x03, 4), "the device ID's high byte (0x10), then command and status");
    }
}
