package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;

/**
 * What a device looks like to userspace before any scenario runs: GET_INFO, the full
 * REGION_INFO reply (QEMU's argsz loop) of every index below {@code num_regions}, and for a PCI
 * device where config space places MSI-X. Scenarios decide whether they apply from this and from
 * the {@link DeviceSpec}; the probe itself is narrated into {@link #transcript()}.
 */
public final class DeviceProfile {
    /** Regions probed at most: a driver reporting more is recorded, not walked to the end. */
    public static final int MAX_PROBED_REGIONS = 64;

    /** One index's full reply, or the errno of its last call. */
    public record Region(long index, VfioRegionInfo info, List<RegionCap> caps, int errno) {
        public Region {
            caps = List.copyOf(caps);
        }

        public boolean ok() {
            return info != null;
        }

        public boolean hasFlag(int flag) {
            return info != null && info.hasFlag(flag);
        }

        public long size() {
            return info == null ? 0 : info.size();
        }

        public <T extends RegionCap> Optional<T> cap(Class<T> kind) {
            for (RegionCap c : caps) {
                if (kind.isInstance(c)) {
                    return Optional.of(kind.cast(c));
                }
            }
            return Optional.empty();
        }

        public boolean msixMappable() {
            return cap(RegionCap.MsixMappable.class).isPresent();
        }

        public boolean mmap() {
            return hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) && size() > 0;
        }
    }

    private final DeviceSpec spec;
    private final Arch arch;
    private final VfioDeviceInfo info;
    private final int openErrno;
    private final SortedMap<Long, Region> regions;
    private final MsixLocation msix;
    private final Transcript transcript;
    private final boolean cookiePath;

    private DeviceProfile(DeviceSpec spec, Arch arch, VfioDeviceInfo info, int openErrno,
            SortedMap<Long, Region> regions, MsixLocation msix, Transcript transcript,
            boolean cookiePath) {
        this.cookiePath = cookiePath;
        this.spec = spec;
        this.arch = arch;
        this.info = info;
        this.openErrno = openErrno;
        this.regions = Collections.unmodifiableSortedMap(regions);
        this.msix = msix;
        this.transcript = transcript;
    }

    /** Probes {@code spec}'s device through {@code p} and closes the file again. */
    public static DeviceProfile probe(Process p, DeviceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Transcript t = new Transcript("profile " + spec.name() + " " + p.arch().cliName());
        p.setKernelBugListener(t::kernelBug);
        try {
            return probe(p, spec, t);
        } finally {
            p.setKernelBugListener(null);
        }
    }

    private static DeviceProfile probe(Process p, DeviceSpec spec, Transcript t) {
        DeviceFile f;
        try {
            f = DeviceFile.open(p, spec.name(), t);
        } catch (ErrnoException e) {
            t.fail("open " + spec.name() + " failed with " + Fmt.errno(e.errno()));
            return new DeviceProfile(spec, p.arch(), null, e.errno(), new TreeMap<>(), null, t,
                    false);
        }
        boolean cookiePath = p.file(f.fd()).kernelFile().mmapCookieCount() >= 0;
        SortedMap<Long, Region> regions = new TreeMap<>();
        VfioDeviceInfo info = null;
        MsixLocation msix = null;
        try {
            DeviceFile.DeviceInfoCall di = f.deviceInfo();
            info = di.info();
            if (di.ok()) {
                long n = di.info().numRegions();
                if (n > MAX_PROBED_REGIONS) {
                    t.add("num_regions " + n + ": probing the first " + MAX_PROBED_REGIONS);
                    n = MAX_PROBED_REGIONS;
                }
                for (long i = 0; i < n; i++) {
                    DeviceFile.RegionInfoCall c = f.regionInfoWhileGrows(i);
                    regions.put(i, c.ok() ? new Region(i, c.head(), c.caps(), 0)
                            : new Region(i, null, List.of(), c.errno()));
                }
                t.add("region ranges: " + layout(regions, f));
                Region config = regions.get((long) VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX);
                if (di.hasFlag(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) && config != null && config.ok()
                        && config.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ)) {
                    msix = MsixLocation.read(f).orElse(null);
                }
            }
            f.close();
        } catch (KernelBugException e) {
            t.kernelBug(e.bug());
        } catch (RuntimeException e) {
            t.modelError("while probing: " + e);
        }
        return new DeviceProfile(spec, p.arch(), info, 0, regions, msix, t, cookiePath);
    }

    /**
     * Whether the device's file keeps a tree of mmap cookies (stage 3 on, for the tables on the
     * new path): what a debugger sees of the file, read once at probe time. An mmap no cookie
     * covers then fails with -ENXIO, the series' change, where the drivers' own decoding said
     * -EINVAL.
     */
    public boolean cookiePath() {
        return cookiePath;
    }

    /**
     * Whether the non-empty regions' file ranges {@code [offset, offset + size)} are disjoint,
     * and which overlap if not (a driver may alias two indexes onto one range, as mdpy does with
     * its display region): a property of the layout,
     * recorded instead of the offsets.
     */
    private static String layout(SortedMap<Long, Region> regions, DeviceFile f) {
        List<String> overlaps = new ArrayList<>();
        List<Region> ok = new ArrayList<>();
        for (Region r : regions.values()) {
            if (r.ok() && r.size() > 0) {
                ok.add(r);
            }
        }
        for (int a = 0; a < ok.size(); a++) {
            for (int b = a + 1; b < ok.size(); b++) {
                VfioRegionInfo x = ok.get(a).info();
                VfioRegionInfo y = ok.get(b).info();
                if (Long.compareUnsigned(x.offset(), y.offset() + y.size()) < 0
                        && Long.compareUnsigned(y.offset(), x.offset() + x.size()) < 0) {
                    overlaps.add(f.name(x.index()) + " overlaps " + f.name(y.index()));
                }
            }
        }
        return overlaps.isEmpty() ? "disjoint" : String.join(", ", overlaps);
    }

    public DeviceSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public Arch arch() {
        return arch;
    }

    public long pageSize() {
        return arch.pageSize();
    }

    /** Whether the device opened and answered GET_INFO. */
    public boolean usable() {
        return info != null;
    }

    /** The open's errno, 0 if it opened. */
    public int openErrno() {
        return openErrno;
    }

    /** GET_INFO's reply; empty if the device did not open or GET_INFO failed. */
    public Optional<VfioDeviceInfo> info() {
        return Optional.ofNullable(info);
    }

    public boolean hasDeviceFlag(int flag) {
        return info != null && (info.flags() & flag) == flag;
    }

    /** GET_INFO says PCI: the vfio-pci index layout (BAR0-5, ROM, CONFIG, VGA) applies. */
    public boolean isPci() {
        return hasDeviceFlag(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI);
    }

    public long numRegions() {
        return info == null ? 0 : info.numRegions();
    }

    /** Every probed index, ascending. */
    public List<Region> regions() {
        return new ArrayList<>(regions.values());
    }

    /** The probed reply of {@code index}; empty if not probed or it failed. */
    public Optional<Region> region(long index) {
        Region r = regions.get(index);
        return r != null && r.ok() ? Optional.of(r) : Optional.empty();
    }

    /** The successful probes, ascending. */
    public List<Region> okRegions() {
        List<Region> out = new ArrayList<>();
        for (Region r : regions.values()) {
            if (r.ok()) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every probed region that reports MMAP and has a size, ascending. */
    public List<Region> mmapRegions() {
        List<Region> out = new ArrayList<>();
        for (Region r : okRegions()) {
            if (r.mmap()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The spec as a PCI function, when the device is one. */
    public Optional<PciFunctionSpec> pciSpec() {
        return spec instanceof PciFunctionSpec ? Optional.of((PciFunctionSpec) spec) : Optional.empty();
    }

    /** MSI-X placement from config space, for a PCI device that has it. */
    public Optional<MsixLocation> msix() {
        return Optional.ofNullable(msix);
    }

    /** Whether REGION_INFO, rw and mmap of {@code index} are vfio-pci-core's. */
    public boolean coreRegion(long index) {
        return DriverFacts.coreRegion(spec, index);
    }

    /** {@code BAR2} / {@code region 2}. */
    public String regionName(long index) {
        return DeviceFile.regionName(isPci(), index);
    }

    /** The probe's narration. */
    public Transcript transcript() {
        return transcript;
    }

    @Override
    public String toString() {
        return "DeviceProfile[" + name() + " " + arch.cliName() + ", " + regions.size()
                + " regions]";
    }
}
