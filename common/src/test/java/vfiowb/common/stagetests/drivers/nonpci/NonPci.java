package vfiowb.common.stagetests.drivers.nonpci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/**
 * Test support for the non-PCI drivers: one process on a freshly booted stage with one device
 * open, and the ioctls, reads and writes a VFIO client makes, all through the syscall boundary.
 */
public final class NonPci {
    /** A process with {@code fd} open on the device named {@code name}, on {@code stage}. */
    public record Dev(StageAdapter stage, Process p, int fd, String name) {
        /** The same device through another descriptor of the same process. */
        public Dev withFd(int otherFd) {
            return new Dev(stage, p, otherFd, name);
        }

        /** VFIO_DEVICE_GET_INFO with argsz 24. */
        public VfioDeviceInfo info() {
            byte[] b = new byte[VfioDeviceInfo.SIZE];
            VfioDeviceInfo.of(VfioDeviceInfo.SIZE, 0, 0, 0, 0).encodeInto(b, 0);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, b);
            return VfioDeviceInfo.decode(b, 0);
        }

        /** VFIO_DEVICE_GET_REGION_INFO with room for capabilities. */
        public RegionInfoReply region(long index) {
            return region(index, 256);
        }

        public RegionInfoReply region(long index, int argsz) {
            byte[] b = VfioRegionInfo.request(index, argsz);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            return RegionInfoReply.decode(b);
        }

        /** VFIO_DEVICE_GET_IRQ_INFO for {@code index} with argsz 16. */
        public VfioIrqInfo irq(long index) {
            byte[] b = new VfioIrqInfo(VfioIrqInfo.SIZE, 0, index, 0).encode();
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b);
            return VfioIrqInfo.decode(b, 0);
        }

        /** pread of {@code n} bytes; the byte count transferred must be n. */
        public byte[] read(long offset, int n) {
            byte[] b = new byte[n];
            long got = p.pread(fd, b, offset);
            if (got != n) {
                throw new AssertionError("pread returned " + got + " of " + n);
            }
            return b;
        }

        /** A little-endian value of {@code width} bytes read at {@code offset}. */
        public long readLe(long offset, int width) {
            return le(read(offset, width), 0, width);
        }

        public long write(long offset, byte[] data) {
            return p.pwrite(fd, data, offset);
        }

        public long writeLe(long offset, int width, long value) {
            return write(offset, le(value, width));
        }

        public Mapping mmap(long length, int prot, int flags, long offset) {
            return p.mmap(0, length, prot, flags, fd, offset);
        }

        /** A shared read-write mapping. */
        public Mapping mmapShared(long length, long offset) {
            return mmap(length, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, offset);
        }

        /** The stage's file behind the descriptor. */
        public KernelFile file() {
            return p.file(fd).kernelFile();
        }

        /** A field of the driver's private state ({@link StageAdapter#driverState}). */
        public Object state(String field) {
            return stage.driverState(file(), field);
        }

        /** A numeric field of the driver's private state. */
        public long stateLong(String field) {
            return stage.driverLong(file(), field);
        }

        public Device hw() {
            return p.host().device(name);
        }

        public Arch arch() {
            return p.arch();
        }

        /** The PTE-level leaf that maps {@code va}, or null. */
        public PageTable.Entry pte(long va) {
            return p.mm().pageTable().lookup(va);
        }
    }

    private NonPci() {}

    /**
     * What the file's tree dump ({@code walk --maple}, the pgoff picture) says of each cookie of
     * class {@code simpleName}, by region index: the driver's description after the range
     * ({@code VfioMmap.describe}). Empty for a file without a tree (before stage 4).
     */
    public static Map<Integer, String> cookieDescriptions(Dev d, String simpleName) {
        Map<Integer, String> described = new TreeMap<>();
        Matcher m = Pattern.compile(Pattern.quote(simpleName)
                + "\\[region (\\d+), pgoff [^,]+, ([^\\]]+)\\]").matcher(d.file().mmapTreeDump());
        while (m.find()) {
            described.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return described;
    }

    /** Boots {@code stage} with the catalogue device {@code name} and opens it. */
    public static Dev open(StageAdapter stage, Arch arch, String name) {
        return open(stage, arch, DeviceCatalogue.byName(name).orElseThrow());
    }

    /** Boots {@code stage} with {@code spec} and opens it. */
    public static Dev open(StageAdapter stage, Arch arch, DeviceSpec spec) {
        Process p = new Process(stage.stage().boot(arch, List.of(spec)));
        return new Dev(stage, p, p.open(spec.name()), spec.name());
    }

    /** The errno {@code call} fails with; fails the test if it succeeds. */
    public static int errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    /**
     * The kernel bug a system call ran into: it must fail with EFAULT carrying one (the
     * boundary's answer to a kernel bug).
     */
    public static KernelBug kernelBug(Executable call) {
        ErrnoException e = assertThrows(ErrnoException.class, call);
        if (e.errno() != Errno.EFAULT || e.kernelBug().isEmpty()) {
            throw new AssertionError("expected EFAULT from a kernel bug, got " + e.getMessage());
        }
        return e.kernelBug().get();
    }

    /**
     * mdev-samples-cfg-short-write-oob: a 1- and a 2-byte write of {@code value} to the config
     * register at {@code reg} (a BAR register) each run into the sample's u32 load from the
     * piece on its stack, reported as an out-of-bounds kernel bug in {@code function}.
     */
    public static void assertShortBarRegisterWritesAreKernelBugs(Dev d, long reg, long value,
            String function) {
        for (int width : new int[] {1, 2}) {
            KernelBug b = kernelBug(() -> d.writeLe(reg, width, value));
            assertEquals(function, b.function());
            assertEquals(KernelBug.Kind.OUT_OF_BOUNDS, b.kind());
            assertTrue(b.reason().contains(width + "-byte piece, " + (4 - width) + " past it"),
                    b.reason());
        }
    }

    public static long le(byte[] b, int off, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (b[off + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    public static byte[] le(long value, int width) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    /** The four page-size models: x86_64, i386, arm64 with 4 KiB and with 64 KiB pages. */
    public static List<Arch> arches() {
        return List.of(Arch.X86_64, Arch.I386, Arch.ARM64_4K, Arch.ARM64_64K);
    }
}
