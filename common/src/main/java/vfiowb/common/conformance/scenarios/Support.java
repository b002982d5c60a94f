package vfiowb.common.conformance.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Limits;
import vfiowb.common.conformance.MsixCarve.Area;
import vfiowb.common.conformance.MsixLocation;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;

/** Choices and checks several scenarios share. */
final class Support {
    /** How far into a region a scratch register is looked for. */
    private static final long SCRATCH_SEARCH = 1L << 20;

    private Support() {}

    static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    static final int MMAP = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;

    /** mmap prot from region flags, as QEMU, CH and the selftests compute it. */
    static int prot(long flags) {
        int prot = Mman.PROT_NONE;
        if ((flags & R) != 0) {
            prot |= Mman.PROT_READ;
        }
        if ((flags & W) != 0) {
            prot |= Mman.PROT_WRITE;
        }
        return prot;
    }

    /** The mappable areas: the non-empty sparse areas, or the whole region without the cap. */
    static List<Area> areas(DeviceProfile.Region r) {
        Optional<RegionCap.Sparse> sparse = r.cap(RegionCap.Sparse.class);
        List<Area> out = new ArrayList<>();
        if (sparse.isPresent()) {
            for (VfioRegionSparseMmapArea a : sparse.get().areas()) {
                if (a.size() != 0) {
                    out.add(new Area(a.offset(), a.size()));
                }
            }
            return out;
        }
        out.add(new Area(0, r.size()));
        return out;
    }

    /** Whether {@code [delta, delta + len)} lies inside one of the region's mappable areas. */
    static boolean inArea(DeviceProfile.Region r, long delta, long len) {
        for (Area a : areas(r)) {
            if (delta >= a.offset() && delta + len <= a.end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * An 8-aligned offset in {@code [from, to)} where {@code len} bytes avoid the MSI-X table and
     * PBA, searched within the first MiB.
     */
    static OptionalLong scratch(DeviceProfile d, long index, long from, long to, int len) {
        MsixLocation m = d.msix().orElse(null);
        long limit = Math.min(to, from + SCRATCH_SEARCH);
        for (long s = (from + 7) & -8L; s + len <= limit; s += 8) {
            if (m == null || !m.overlaps(index, s, len)) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }

    /** Whether one page at {@code delta} of the probed region fits the arch's mmap limits. */
    static boolean pageFits(DeviceProfile d, DeviceProfile.Region r, long delta) {
        return Limits.mmapFits(d.arch(), r.info().offset() + delta, d.pageSize());
    }

    /**
     * The lowest BAR handled by vfio-pci-core that is a memory BAR with READ and WRITE, has an
     * {@code len}-byte scratch register and, if asked, MMAP with that register's page within
     * the arch's mmap limits.
     */
    static Optional<DeviceProfile.Region> coreMemBar(DeviceProfile d, int len, boolean mmap) {
        Optional<PciFunctionSpec> spec = d.pciSpec();
        if (spec.isEmpty() || !d.isPci()) {
            return Optional.empty();
        }
        for (long i = 0; i <= 5; i++) {
            Optional<DeviceProfile.Region> r = d.region(i);
            if (r.isEmpty() || r.get().size() < len || !d.coreRegion(i)
                    || !spec.get().bar((int) i).isMem() || !r.get().hasFlag(R | W)) {
                continue;
            }
            OptionalLong s = scratch(d, i, 0, r.get().size(), len);
            if (s.isEmpty()) {
                continue;
            }
            long page = pageOf(d, s.getAsLong());
            if (mmap && (!r.get().mmap() || !pageFits(d, r.get(), page)
                    || !inArea(r.get(), page, Math.min(d.pageSize(), r.get().size())))) {
                continue;
            }
            return r;
        }
        return Optional.empty();
    }

    /** The region's scratch offset found by {@link #coreMemBar}. */
    static long scratchOf(DeviceProfile d, DeviceProfile.Region r, int len) {
        return scratch(d, r.index(), 0, r.size(), len).orElseThrow();
    }

    /** {@code delta} rounded down to a page. */
    static long pageOf(DeviceProfile d, long delta) {
        return delta & -d.pageSize();
    }

    /**
     * mmap that must succeed where the arch allows it and fail with the limit's errno where it
     * does not; {@code assertSuccess} false records a success or failure without asserting it.
     */
    static DeviceFile.MmapCall mapArea(DeviceFile f, long addr, long len, int prot, int flags,
            long index, long delta, boolean assertSuccess) {
        boolean fits = Limits.mmapFits(f.arch(), f.offsetOf(index) + delta, len);
        DeviceFile.MmapCall c = f.mmap(addr, len, prot, flags, index, delta);
        Transcript t = f.transcript();
        if (fits) {
            if (assertSuccess) {
                t.expect(c.ok(), "mmap of " + f.loc(index, delta) + " succeeds",
                        c.ok() ? "ok" : Fmt.errno(c.errno()));
            }
        } else {
            t.expect(!c.ok() && Limits.isArchLimitErrno(f.arch(), f.offsetOf(index) + delta, c.errno()),
                    "mmap of " + f.loc(index, delta) + " beyond the " + f.arch().cliName()
                    + " mmap limits fails with the limit's errno",
                    c.ok() ? "ok" : Fmt.errno(c.errno()));
        }
        return c;
    }

    /** Records that the mapping and pread agree at {@code delta}; asserts it when {@code assertIt}. */
    static void compareWithPread(DeviceFile f, DeviceFile.Mapped m, long delta, boolean assertIt) {
        DeviceFile.Access a = f.load(m, delta, 4);
        DeviceFile.Rw r = f.pread(m.index(), delta, 4);
        if (assertIt) {
            f.transcript().expect(a.ok() && r.ret() == 4 && a.value() == r.value(4),
                    "load and pread of " + f.loc(m.index(), delta) + " agree",
                    (a.ok() ? Fmt.hex(a.value()) : a.signal()) + " vs "
                            + (r.ret() == 4 ? Fmt.hex(r.value(4)) : Fmt.ret(r.ret())));
        }
    }

    /** Whether {@code buf[from, to)} still holds {@code fill} (the kernel wrote none of it). */
    static boolean untouched(byte[] buf, int from, int to, byte fill) {
        for (int i = from; i < Math.min(to, buf.length); i++) {
            if (buf[i] != fill) {
                return false;
            }
        }
        return true;
    }

    /** A capability's structure size rounded up to 8, as {@code vfio_info_cap_add} lays it out. */
    static OptionalLong capLayoutSize(RegionCap c) {
        if (c instanceof RegionCap.Unknown) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((c.encodedSize() + 7L) & -8L);
    }

    /** {@code "0x1000"} or an errno, for observed values. */
    static String show(DeviceFile.Rw r, int width) {
        return r.ret() == width ? Fmt.hex(r.value(width)) : Fmt.ret(r.ret());
    }
}
