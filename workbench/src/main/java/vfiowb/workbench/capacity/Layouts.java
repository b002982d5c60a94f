package vfiowb.workbench.capacity;

import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.IoctlView;
import vfiowb.workbench.clients.Probe;

/**
 * Probes a device file the way QEMU does (GET_INFO, then REGION_INFO of every index, re-asked
 * while argsz grows) and measures how far read/write and mmap reach into each region, on a fresh
 * boot of a stage under a policy.
 */
public final class Layouts {
    private Layouts() {}

    /**
     * The layout of {@code device}'s file on a fresh boot of {@code stage} under {@code policy}
     * (knobs the stage does not honour are reset to their defaults, see
     * {@link Policies#effective}). A device the stage has no driver for, or whose open fails,
     * gives a layout with {@link FileLayout#error()}.
     */
    public static FileLayout probe(Stage stage, Arch arch, SeriesPolicy policy, DeviceSpec device) {
        SeriesPolicy eff = Policies.effective(stage, policy);
        VfioHost host = boot(stage, arch, eff, device);
        if (host == null) {
            return FileLayout.failed(stage.number(), stage.module(), arch, eff, Policies.label(eff),
                    device.name(), device.driver(), device.opsTable(),
                    "stage " + stage.number() + " models no driver for " + device.opsTable());
        }
        return probe(host, stage, eff, device);
    }

    /** A fresh boot with {@code device} alone, or null when the stage cannot bind it. */
    static VfioHost boot(Stage stage, Arch arch, SeriesPolicy policy, DeviceSpec device) {
        try {
            return stage.boot(arch, List.of(device), policy);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@link #probe(Stage, Arch, SeriesPolicy, DeviceSpec)} on a host already booted. */
    static FileLayout probe(VfioHost host, Stage stage, SeriesPolicy eff, DeviceSpec device) {
        Arch arch = host.arch();
        Process p = new Process(host);
        try {
            int fd;
            try {
                fd = p.open(device.name());
            } catch (ErrnoException e) {
                return FileLayout.failed(stage.number(), stage.module(), arch, eff,
                        Policies.label(eff), device.name(), device.driver(), device.opsTable(),
                        "open failed: " + e.errnoName());
            }
            List<Region> regions = new ArrayList<>();
            VfioDeviceInfo info = Probe.deviceInfo(p, fd);
            boolean pci = (info.flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) != 0;
            for (long i = 0; i < info.numRegions(); i++) {
                regions.add(region(p, fd, i, pci));
            }
            long cookies = p.file(fd).kernelFile().mmapCookieCount();
            return new FileLayout(stage.number(), stage.module(), arch, eff, Policies.label(eff),
                    device.name(), device.driver(), device.opsTable(), null, regions,
                    segments(regions), overlaps(regions), cookies);
        } finally {
            p.exit();
        }
    }

    /** REGION_INFO of {@code index} as QEMU asks, then the reach of each access kind. */
    static Region region(Process p, int fd, long index, boolean pci) {
        String name = IoctlView.regionName(index, pci);
        RegionInfoReply reply;
        try {
            reply = Probe.regionInfo(p, fd, index, false);
        } catch (ErrnoException e) {
            return new Region(index, name, e.errnoName(), 0, 0, 0, List.of(), null, null);
        }
        long flags = reply.info().flags();
        long size = reply.info().size();
        long offset = reply.info().offset();
        List<Region.Area> areas = mmapAreas(reply, size);
        Region bare = new Region(index, name, null, flags, size, offset, areas, null, null);
        if (size == 0) {
            return bare;
        }
        return new Region(index, name, null, flags, size, offset, areas, rwReach(p, fd, bare),
                mmapReach(p, fd, bare));
    }

    /**
     * What QEMU's {@code vfio_region_setup} maps: the non-empty sparse areas, or the whole
     * region without a sparse capability; nothing without the MMAP flag or with a sparse
     * capability of no areas.
     */
    static List<Region.Area> mmapAreas(RegionInfoReply reply, long size) {
        if (!reply.info().hasFlag(vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP)
                || size == 0) {
            return List.of();
        }
        Optional<RegionCap.Sparse> sparse = reply.sparseMmap();
        if (sparse.isEmpty()) {
            return List.of(new Region.Area(0, size));
        }
        List<Region.Area> out = new ArrayList<>();
        for (VfioRegionSparseMmapArea a : sparse.get().areas()) {
            if (a.size() != 0) {
                out.add(new Region.Area(a.offset(), a.size()));
            }
        }
        return out;
    }

    /** How far one-byte preads (pwrites for a write-only region) reach from the region's start. */
    static Reach rwReach(Process p, int fd, Region r) {
        boolean read = (r.flags() & VFIO_REGION_INFO_FLAG_READ) != 0;
        boolean write = (r.flags() & VFIO_REGION_INFO_FLAG_WRITE) != 0;
        if (!read && !write) {
            return Reach.notOffered("neither READ nor WRITE");
        }
        Access a = pos -> {
            byte[] b = new byte[1];
            long off = r.offset() + pos;
            try {
                long n = read ? p.pread(fd, b, off) : p.pwrite(fd, b, off);
                return n == 1 ? null : "short count " + n;
            } catch (ErrnoException e) {
                return e.errnoName();
            }
        };
        return reach(a, r.size(), 1);
    }

    /**
     * How far one-page mmaps reach through the areas QEMU maps, counted in bytes of those
     * areas from the first.
     */
    static Reach mmapReach(Process p, int fd, Region r) {
        if (!r.mmappable()) {
            return Reach.notOffered("no MMAP flag");
        }
        if (r.mmapAreas().isEmpty()) {
            return Reach.notOffered("sparse capability with no area");
        }
        Arch arch = p.arch();
        long page = arch.pageSize();
        int prot = ((r.flags() & VFIO_REGION_INFO_FLAG_READ) != 0 ? PROT_READ : 0)
                | ((r.flags() & VFIO_REGION_INFO_FLAG_WRITE) != 0 ? PROT_WRITE : 0);
        List<Region.Area> areas = r.mmapAreas();
        long offered = 0;
        for (Region.Area ar : areas) {
            offered += ar.size();
        }
        // A byte position in the concatenated areas (a multiple of the page) -> its file offset.
        Access a = pos -> {
            long rest = pos;
            for (Region.Area ar : areas) {
                long pages = arch.pageAlign(ar.size());
                if (rest < pages) {
                    long off = r.offset() + ar.offset() + rest;
                    try {
                        Mapping m = p.mmap(0, page, prot, MAP_SHARED, fd, off);
                        p.munmap(m);
                        return null;
                    } catch (ErrnoException e) {
                        return e.errnoName();
                    }
                }
                rest -= pages;
            }
            throw new IllegalStateException("position " + pos + " past the areas");
        };
        long alignedTotal = 0;
        for (Region.Area ar : areas) {
            alignedTotal += arch.pageAlign(ar.size());
        }
        Reach inPages = reach(a, alignedTotal, page);
        if (inPages.kind() == Reach.Kind.HOLES) {
            return new Reach(Reach.Kind.HOLES, 0, offered, inPages.detail());
        }
        if (inPages.kind() != Reach.Kind.PARTIAL) {
            return inPages.kind() == Reach.Kind.FULL ? Reach.full(offered)
                    : new Reach(inPages.kind(), 0, offered, inPages.detail());
        }
        // The reachable pages, as bytes of the areas (an area's last page may be partial).
        long left = inPages.bytes();
        long bytes = 0;
        for (Region.Area ar : areas) {
            long pages = arch.pageAlign(ar.size());
            bytes += Math.min(ar.size(), Math.min(left, pages));
            left -= Math.min(left, pages);
        }
        return new Reach(Reach.Kind.PARTIAL, bytes, offered, inPages.detail());
    }

    /** An access at position {@code pos}: null when it works, else what failed. */
    interface Access {
        String at(long pos);
    }

    /**
     * Tries the first and the last {@code unit}-sized step of {@code total}; between them, a
     * binary search for the first failing step. A first step that fails while the last works is
     * a hole the driver makes ({@link Reach.Kind#HOLES}).
     */
    static Reach reach(Access a, long total, long unit) {
        long steps = (total + unit - 1) / unit;
        String first = a.at(0);
        if (first != null) {
            if (steps > 1 && a.at((steps - 1) * unit) == null) {
                return new Reach(Reach.Kind.HOLES, 0, total, first + " at +0x0, the end is reached");
            }
            return new Reach(Reach.Kind.NONE, 0, total, first + " at +0x0");
        }
        String last = a.at((steps - 1) * unit);
        if (last == null) {
            return Reach.full(total);
        }
        long lo = 0;
        long hi = steps - 1;
        String failed = last;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            String r = a.at(mid * unit);
            if (r == null) {
                lo = mid;
            } else {
                hi = mid;
                failed = r;
            }
        }
        return new Reach(Reach.Kind.PARTIAL, hi * unit, total, failed + " at " + Bytes.hex(hi * unit));
    }

    /**
     * The regions with bytes and the gaps before each, by offset, in bytes: file offsets are
     * bytes (read and write take any; ccw's layout packs regions 1 KiB apart), only mmap rounds
     * to pages.
     */
    static List<FileLayout.Segment> segments(List<Region> regions) {
        List<Region> sorted = new ArrayList<>();
        for (Region r : regions) {
            if (r.hasBytes()) {
                sorted.add(r);
            }
        }
        sorted.sort(Comparator.comparing(Region::offset, Long::compareUnsigned)
                .thenComparingLong(Region::index));
        List<FileLayout.Segment> out = new ArrayList<>();
        long cursor = 0;
        for (Region r : sorted) {
            if (Long.compareUnsigned(r.offset(), cursor) > 0) {
                out.add(new FileLayout.Segment(true, cursor, r.offset() - cursor, -1, "gap"));
            }
            long end = r.end();
            out.add(new FileLayout.Segment(false, r.offset(), end - r.offset(), r.index(), r.name()));
            if (Long.compareUnsigned(end, cursor) > 0) {
                cursor = end;
            }
        }
        return out;
    }

    /** Each region with bytes whose range holds another answered region's offset. */
    static List<FileLayout.Overlap> overlaps(List<Region> regions) {
        List<FileLayout.Overlap> out = new ArrayList<>();
        for (Region r : regions) {
            if (!r.hasBytes()) {
                continue;
            }
            for (Region q : regions) {
                if (q == r || q.errno() != null) {
                    continue;
                }
                boolean inside = Long.compareUnsigned(q.offset(), r.offset()) > 0
                        && Long.compareUnsigned(q.offset(), r.end()) < 0;
                boolean sameStart = q.offset() == r.offset() && q.hasBytes() && q.index() > r.index();
                if (inside || sameStart) {
                    out.add(new FileLayout.Overlap(r.index(), r.name(), q.index(), q.name(),
                            q.offset()));
                }
            }
        }
        return out;
    }
}
