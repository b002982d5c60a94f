package vfiowb.common.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * {@code vfio_pci_core_feature_dma_buf} (drivers/vfio/pci/vfio_pci_dmabuf.c) copies the
 * {@code nr_ranges} ranges in with {@code memdup_array_user}: the count is the user's u32, the
 * buffer's size is not checked against it (only the 16-byte header is), so a huge count reaches
 * the allocator. Its answers: -EOVERFLOW when {@code nr_ranges * 16} overflows {@code size_t}
 * (only a 32-bit one can), -ENOMEM past {@code KMALLOC_MAX_SIZE} (4 MiB with 4K pages, 512 MiB
 * on arm64 with 64K pages) before a byte of the ranges is read, -EFAULT when the allocation
 * succeeds and the copy runs off the buffer. Written once, run by every stage through a one-line
 * subclass.
 */
public abstract class DmaBufRangesCopyTests {
    private static final String DEV = "legacy-b0";
    private static final int GET_DMA_BUF =
            VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF;
    /** The feature header (argsz, flags) and {@code struct vfio_device_feature_dma_buf}. */
    private static final int HEAD = 8 + 16;
    private static final long RANGE = 16;
    private static final long BAR0_SIZE = 0x4000;

    private final Stage stage;

    protected DmaBufRangesCopyTests(Stage stage) {
        this.stage = stage;
    }

    /** A process on {@code arch} with {@link #DEV} open. */
    private final class Dev {
        final Process p;
        final int fd;

        Dev(Arch arch) {
            p = new Process(stage.boot(arch, List.of(DeviceCatalogue.byName(DEV).orElseThrow())));
            fd = p.open(DEV);
        }

        /** VFIO_DEVICE_FEATURE GET DMA_BUF of BAR 0 claiming {@code nrRanges}, with {@code ranges} behind. */
        UserBuffer request(long nrRanges, long... ranges) {
            byte[] b = new byte[HEAD + 8 * ranges.length];
            new VfioDeviceFeature(b.length, GET_DMA_BUF & 0xffff_ffffL).encodeInto(b, 0);
            put(b, 8 + 12, 4, nrRanges);
            for (int i = 0; i < ranges.length; i++) {
                put(b, HEAD + 8 * i, 8, ranges[i]);
            }
            return UserBuffer.wrap(b);
        }

        int errno(UserBuffer arg) {
            return assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, VfioIoctl.VFIO_DEVICE_FEATURE, arg)).errno();
        }

        /**
         * The answer to one page of the 16 KiB BAR 0: an fd on wc-dmabuf, EOPNOTSUPP elsewhere;
         * with 64K pages the page is past the BAR ({@code vfio_pci_core_fill_phys_vec}, -EINVAL).
         */
        void stillAnswersAGoodRequest() {
            UserBuffer good = request(1, 0, arch().pageSize());
            if (arch().pageSize() > BAR0_SIZE) {
                assertEquals(Errno.EINVAL, errno(good), "a page past the BAR");
            } else if ("wc-dmabuf".equals(stage.variant())) {
                int dmabuf = (int) p.ioctl(fd, VfioIoctl.VFIO_DEVICE_FEATURE, good);
                assertTrue(p.openFds().contains(dmabuf));
                p.close(dmabuf);
            } else {
                assertEquals(Errno.EOPNOTSUPP, errno(good), "every check passed; no dma-buf to export");
            }
        }

        Arch arch() {
            return p.host().arch();
        }
    }

    private static void put(byte[] b, int off, int width, long v) {
        for (int i = 0; i < width; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** The bytes the kernel read end at {@code end}: nothing of the ranges past it. */
    private static void readUpTo(UserBuffer arg, long end) {
        List<UserBuffer.Range> read = arg.readRanges();
        assertEquals(List.of(new UserBuffer.Range(0, end)), read, "bytes read");
    }

    /**
     * A count whose array is past {@code KMALLOC_MAX_SIZE}: {@code memdup_user}'s
     * {@code kmalloc} fails, -ENOMEM, before any range is read and whatever the buffer holds;
     * no fd, no state left, the next good request answered as before.
     */
    @Test
    void memdupUserPastKmallocMaxSizeIsEnomemBeforeReadingTheRanges() {
        for (Arch arch : Arch.values()) {
            Dev d = new Dev(arch);
            List<Integer> fds = d.p.openFds();
            long first = arch.kmallocMaxSize() / RANGE + 1;
            for (long n : new long[] {first, 1L << 27, 0x0fff_ffffL}) {
                UserBuffer arg = d.request(n, 0, arch.pageSize());
                assertEquals(Errno.ENOMEM, d.errno(arg), arch + " nr_ranges " + n);
                readUpTo(arg, HEAD);
            }
            assertEquals(fds, d.p.openFds(), arch + ": no fd left behind");
            d.stillAnswersAGoodRequest();
        }
    }

    /**
     * The largest count {@code kmalloc} can hold (KMALLOC_MAX_SIZE / 16: 2^18 ranges with 4K
     * pages, 2^25 on arm64-64k) allocates, so a buffer with one range behind the header faults
     * in {@code copy_from_user}: -EFAULT, the kernel having read the buffer to its end.
     */
    @Test
    void memdupUserAtKmallocMaxSizeAllocatesThenFaults() {
        for (Arch arch : Arch.values()) {
            Dev d = new Dev(arch);
            UserBuffer arg = d.request(arch.kmallocMaxSize() / RANGE, 0, arch.pageSize());
            assertEquals(Errno.EFAULT, d.errno(arg), arch.toString());
            readUpTo(arg, arg.length());
            d.stillAnswersAGoodRequest();
        }
    }

    /**
     * {@code memdup_array_user}'s {@code check_mul_overflow} in a 32-bit {@code size_t}: from
     * 2^28 ranges the 16-byte array's size wraps, -EOVERFLOW, before {@code kmalloc}; just below
     * it the size fits and is past KMALLOC_MAX_SIZE, -ENOMEM. A 64-bit {@code size_t} holds any
     * u32 count times 16: -ENOMEM up to the largest.
     */
    @Test
    void memdupArrayUserOverflowsOnlyA32BitSizeT() {
        Dev i386 = new Dev(Arch.I386);
        for (long n : new long[] {1L << 28, 0xffff_ffffL}) {
            UserBuffer arg = i386.request(n, 0, 4096);
            assertEquals(Errno.EOVERFLOW, i386.errno(arg), "i386 nr_ranges " + n);
            readUpTo(arg, HEAD);
        }
        assertEquals(Errno.ENOMEM, i386.errno(i386.request((1L << 28) - 1, 0, 4096)));
        for (Arch arch : new Arch[] {Arch.X86_64, Arch.ARM64_4K, Arch.ARM64_64K}) {
            Dev d = new Dev(arch);
            for (long n : new long[] {1L << 28, 0xffff_ffffL}) {
                assertEquals(Errno.ENOMEM, d.errno(d.request(n, 0, arch.pageSize())), arch + " nr_ranges " + n);
            }
        }
    }

    /**
     * {@code vfio_pci_core_fill_phys_vec}: the BAR's physical start plus a range's offset is a
     * {@code check_add_overflow} in {@code phys_addr_t}: an offset that wraps it is -EOVERFLOW
     * (one that only runs past the BAR is -EINVAL). The offset passes
     * {@code validate_dmabuf_input}, which checks page alignment and the total length only.
     */
    @Test
    void vfioPciCoreFillPhysVecOverflowIsEoverflow() {
        Dev d = new Dev(Arch.X86_64);
        assertEquals(Errno.EOVERFLOW, d.errno(d.request(1, -4096L, 4096)));
        assertEquals(Errno.EINVAL, d.errno(d.request(1, 1L << 32, 4096)), "past the BAR");
        d.stillAnswersAGoodRequest();
    }

    /**
     * The checks before the copy come first: {@code nr_ranges} 0 or {@code flags} set -EINVAL,
     * a region at or past the ROM -ENODEV, whatever the count would have cost.
     */
    @Test
    void featureDmaBufChecksTheHeaderBeforeMemdupArrayUser() {
        Dev d = new Dev(Arch.X86_64);
        UserBuffer flags = d.request(1L << 27);
        put(flags.array(), 8 + 8, 4, 1);
        assertEquals(Errno.EINVAL, d.errno(flags));
        UserBuffer rom = d.request(1L << 27);
        put(rom.array(), 8, 4, 6);
        assertEquals(Errno.ENODEV, d.errno(rom));
        readUpTo(rom, HEAD);
    }
}
