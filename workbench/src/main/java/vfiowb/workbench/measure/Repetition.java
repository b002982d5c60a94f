package vfiowb.workbench.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.OpenFile;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * The repetition measurement of issue 15: many REGION_INFO calls on one file, then many
 * open / probe / mmap / fault / munmap / close cycles, each sampled at intervals for what must
 * not grow with the count: the heap after a full collection, the file's tree of mmap cookies
 * (stage 3 on), the VMAs of the device's address space and of the process, the page-table
 * entries and the open descriptors. Everything goes through the syscall boundary and the
 * {@link Stage} interface, so every stage is measured the same way.
 *
 * <p>Verdicts: the counts must be exactly the same at every sample (a tree that grows by one
 * range per thousand calls is a leak whatever the heap says); the heap may move by at most
 * {@link #heapToleranceBytes} between the first and the last sample (a collection is not
 * exact to the byte, and the JIT and class loading allocate early on). A leak of one small
 * object per REGION_INFO call is tens of megabytes over a million calls, far past it.
 */
public final class Repetition {
    /** The heap growth from first to last sample still called flat: 1 MiB. */
    public static final long DEFAULT_HEAP_TOLERANCE = 1L << 20;

    /**
     * One sample, taken after {@code done} operations of its series.
     *
     * @param heapBytes heap in use after a full collection (-1 when not measured)
     * @param cookies the ranges of the sampled file's tree of mmap cookies, -1 without a tree
     * @param deviceVmas VMAs in the device inode's address space ({@code i_mmap})
     * @param processVmas VMAs of the process
     * @param pageTableEntries page-table entries of the process, all levels
     * @param openFds the process's open descriptors
     */
    public record Sample(long done, long heapBytes, long cookies, long deviceVmas,
            long processVmas, long pageTableEntries, int openFds) {}

    /**
     * One series: what was repeated, how often, the samples and what every call gave.
     *
     * @param outcomes each call and its outcome ({@code "REGION_INFO ok"}, {@code
     *     "REGION_INFO EINVAL"}, {@code "mmap ENXIO"}), counted
     * @param releasedWithCookies files whose last reference went with ranges left in their
     *     tree (cycles only)
     */
    public record Series(String name, long operations, List<Sample> samples,
            Map<String, Long> outcomes, long releasedWithCookies, long heapToleranceBytes) {
        public Series {
            samples = List.copyOf(samples);
            outcomes = Map.copyOf(outcomes);
        }

        /** Heap growth from the first sample to the last. */
        public long heapGrowth() {
            return samples.get(samples.size() - 1).heapBytes() - samples.get(0).heapBytes();
        }

        /** The growth per operation, in bytes. */
        public double heapGrowthPerOp() {
            return operations == 0 ? 0 : (double) heapGrowth() / operations;
        }

        public boolean heapFlat() {
            return heapGrowth() <= heapToleranceBytes;
        }

        /** Each count is the same at every sample, and no file died with cookies. */
        public boolean countsFlat() {
            Sample first = samples.get(0);
            for (Sample s : samples) {
                if (s.cookies() != first.cookies() || s.deviceVmas() != first.deviceVmas()
                        || s.processVmas() != first.processVmas()
                        || s.pageTableEntries() != first.pageTableEntries()
                        || s.openFds() != first.openFds()) {
                    return false;
                }
            }
            return releasedWithCookies == 0;
        }

        public boolean flat() {
            return heapFlat() && countsFlat();
        }

        /** Whether the stage's files have a tree of mmap cookies. */
        public boolean hasTree() {
            return samples.get(0).cookies() >= 0;
        }
    }

    /** Both series on one stage and device. */
    public record Result(int stage, String device, Arch arch, SeriesPolicy policy,
            Series regionInfo, Series cycles) {
        public boolean flat() {
            return regionInfo.flat() && cycles.flat();
        }
    }

    private final Process p;
    private final String device;
    private final LongSupplier heap;
    private final long heapTolerance;

    private Repetition(Process p, String device, LongSupplier heap, long heapTolerance) {
        this.p = p;
        this.device = device;
        this.heap = heap;
        this.heapTolerance = heapTolerance;
    }

    /** Heap in use after a full collection, as far as {@link System#gc()} gets it. */
    public static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /**
     * Runs both series on a fresh boot of {@code stage}.
     *
     * @param calls REGION_INFO calls on one file
     * @param cycles open / probe / mmap / munmap / close cycles
     * @param samples samples per series after the first (at least 1)
     * @param heap measures the heap (tests pass a fake; the command {@link #heapAfterGc})
     */
    public static Result run(Stage stage, Arch arch, SeriesPolicy policy, DeviceSpec device,
            long calls, long cycles, int samples, LongSupplier heap, long heapTolerance) {
        if (calls < 0 || cycles < 0 || samples < 1) {
            throw new IllegalArgumentException("calls " + calls + ", cycles " + cycles
                    + ", samples " + samples);
        }
        Process p = new Process(stage.boot(arch, List.of(device), policy));
        Repetition r = new Repetition(p, device.name(), Objects.requireNonNull(heap), heapTolerance);
        Series ri = r.regionInfoSeries(calls, samples);
        Series cy = r.cycleSeries(cycles, samples);
        return new Result(stage.number(), device.name(), arch, policy, ri, cy);
    }

    // ---------------------------------------------------------------- REGION_INFO

    private Series regionInfoSeries(long calls, int samples) {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        int fd = p.open(device);
        int regions = numRegions(fd);
        int indexes = Math.max(1, regions);
        // One round first, so that every cookie the file will ever have exists (create=region-info
        // places them on first ask) before the first sample.
        for (int i = 0; i < indexes; i++) {
            regionInfo(fd, i, new LinkedHashMap<>());
        }
        List<Sample> out = new ArrayList<>();
        out.add(sample(0, fd));
        long done = 0;
        for (int s = 1; s <= samples; s++) {
            long until = calls * s / samples;
            for (; done < until; done++) {
                regionInfo(fd, (int) (done % indexes), outcomes);
            }
            out.add(sample(done, fd));
        }
        p.close(fd);
        return new Series("REGION_INFO on one file", calls, out, outcomes, 0, heapTolerance);
    }

    private int numRegions(int fd) {
        byte[] info = new byte[VfioDeviceInfo.SIZE];
        LE.putU32(info, 0, VfioDeviceInfo.SIZE);
        try {
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, info);
        } catch (ErrnoException e) {
            return 0;
        }
        long n = VfioDeviceInfo.decode(info, 0).numRegions();
        return (int) Math.min(n, 64);
    }

    /** REGION_INFO as QEMU asks: the 32-byte head, then again with the argsz it was told. */
    private RegionInfoReply regionInfo(int fd, int index, Map<String, Long> outcomes) {
        try {
            byte[] buf = VfioRegionInfo.request(index, VfioRegionInfo.SIZE);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            RegionInfoReply r = RegionInfoReply.decode(buf);
            if (r.needsLargerBuffer()) {
                buf = VfioRegionInfo.request(index, (int) Math.min(r.info().argsz(), 1 << 16));
                p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
                r = RegionInfoReply.decode(buf);
            }
            count(outcomes, "REGION_INFO ok");
            return r;
        } catch (ErrnoException e) {
            count(outcomes, "REGION_INFO " + e.errnoName());
            return null;
        }
    }

    // ---------------------------------------------------------------- cycles

    /** Where a cycle maps: the first page of the first mappable area of the first such region. */
    private record Target(long offset, int prot) {}

    private Series cycleSeries(long cycles, int samples) {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        List<Sample> out = new ArrayList<>();
        long[] releasedWithCookies = {0};
        // A cycle before the first sample, not counted, as the first REGION_INFO round: its
        // first mmap builds the page tables' upper levels and its open the driver's lazy state.
        out.add(cycle(new LinkedHashMap<>(), releasedWithCookies, true, 0));
        long done = 0;
        for (int s = 1; s <= samples; s++) {
            long until = cycles * s / samples;
            Sample last = null;
            while (done < until) {
                done++;
                Sample x = cycle(outcomes, releasedWithCookies, done == until, done);
                if (x != null) {
                    last = x;
                }
            }
            Sample prev = out.get(out.size() - 1);
            out.add(last != null ? last : new Sample(done, prev.heapBytes(), prev.cookies(),
                    prev.deviceVmas(), prev.processVmas(), prev.pageTableEntries(), prev.openFds()));
        }
        return new Series("open/probe/mmap/munmap/close cycles", cycles, out, outcomes,
                releasedWithCookies[0], heapTolerance);
    }

    /**
     * One cycle; with {@code sampled}, the sample is taken with the file open and probed (its
     * tree as full as it gets) and the mapping gone, and the heap after the close.
     */
    private Sample cycle(Map<String, Long> outcomes, long[] releasedWithCookies, boolean sampled,
            long done) {
        int fd;
        try {
            fd = p.open(device);
        } catch (ErrnoException e) {
            count(outcomes, "open " + e.errnoName());
            return sampled ? new Sample(done, heap.getAsLong(), -1, 0, p.mm().mapCount(),
                    pageTableEntries(), p.openFds().size()) : null;
        }
        count(outcomes, "open ok");
        OpenFile file = p.file(fd);
        int regions = numRegions(fd);
        Target target = null;
        for (int i = 0; i < regions; i++) {
            RegionInfoReply r = regionInfo(fd, i, outcomes);
            if (target == null && r != null && mappable(r.info())) {
                long area = r.sparseMmap().filter(c -> !c.areas().isEmpty())
                        .map(c -> c.areas().get(0).offset()).orElse(0L);
                if (area < r.info().size()) {
                    target = new Target(r.info().offset() + area, prot(r.info()));
                }
            }
        }
        if (target != null) {
            mapAndTouch(fd, target, outcomes);
        }
        Sample s = null;
        long cookies = file.kernelFile().mmapCookieCount();
        p.close(fd);
        count(outcomes, "close ok");
        if (!file.isReleased() || file.kernelFile().mmapCookieCount() > 0) {
            releasedWithCookies[0]++;
        }
        if (sampled) {
            s = new Sample(done, heap.getAsLong(), cookies, file.mapping().vmas().size(),
                    p.mm().mapCount(), pageTableEntries(), p.openFds().size());
        }
        return s;
    }

    private void mapAndTouch(int fd, Target t, Map<String, Long> outcomes) {
        Mapping m;
        try {
            m = p.mmap(0, p.arch().pageSize(), t.prot(), Mman.MAP_SHARED, fd, t.offset());
            count(outcomes, "mmap ok");
        } catch (ErrnoException e) {
            count(outcomes, "mmap " + e.errnoName());
            return;
        }
        if ((t.prot() & Mman.PROT_READ) != 0) {
            try {
                m.load(0, 4);
                count(outcomes, "load ok");
            } catch (SigbusException e) {
                count(outcomes, "load SIGBUS");
            }
        }
        p.munmap(m);
        count(outcomes, "munmap ok");
    }

    private static boolean mappable(VfioRegionInfo info) {
        return (info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) != 0 && info.size() != 0;
    }

    /** The protection the region's flags allow (vfio-cdx refuses more with EPERM). */
    private static int prot(VfioRegionInfo info) {
        return ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ) != 0
                ? Mman.PROT_READ : 0)
                | ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE) != 0
                ? Mman.PROT_WRITE : 0);
    }

    // ---------------------------------------------------------------- sampling

    /** A sample now; {@code fd} is the file whose tree is counted (-1: none). */
    private Sample sample(long done, int fd) {
        long cookies = -1;
        long deviceVmas = 0;
        if (fd >= 0) {
            KernelFile kf = p.file(fd).kernelFile();
            cookies = kf.mmapCookieCount();
            deviceVmas = kf.mapping().vmas().size();
        }
        return new Sample(done, heap.getAsLong(), cookies, deviceVmas, p.mm().mapCount(),
                pageTableEntries(), p.openFds().size());
    }

    private long pageTableEntries() {
        return p.mm().pageTable().entriesByLevel().values().stream().mapToLong(Long::longValue)
                .sum();
    }

    private static void count(Map<String, Long> outcomes, String key) {
        outcomes.merge(key, 1L, Long::sum);
    }
}
