package vfiowb.workbench.wc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.conformance.clients.DpdkWcClient;
import vfiowb.common.conformance.clients.QatlibClient;
import vfiowb.common.conformance.clients.QemuClient;
import vfiowb.common.conformance.clients.WcMapper;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.WcUapi;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;
import vfiowb.common.userspace.SyscallObserver;

/**
 * The comparison of the write-combining variants (issue 14), computed from the model: every
 * entry is counted from the uAPI definitions ({@link WcUapi#surface()}), measured by running a
 * client against the variant, or counted from its patch in {@code series/}. Nothing is typed in.
 */
public final class WcCompare {
    private WcCompare() {}

    /** The uAPI a design adds: counts from its vfio.h text. */
    public record Surface(int ioctls, int features, int structs, int flags, int capabilities,
            int values, int headerLines, String status) {}

    /** The system calls from open to the first store through the WC mapping, in order. */
    public record Steps(int count, List<String> calls) {}

    /**
     * Whether old clients notice: QEMU's realize on the IGD (whose OpRegion search walks every
     * region index) and qatlib on the QAT VF (positional BARs), each run without and then with
     * another file of the device holding a WC mapping.
     */
    public record OldClients(boolean qemuUntouched, boolean qemuStillWorks, boolean qatlibUntouched,
            boolean qatlibStillWorks, String note) {}

    /** Revocation of WC mappings of two files (and their dma-bufs) on the GPU. */
    public record Revocation(int mappings, int zappedByReset, int refusedAfterMemoryDisable) {
        /** Every mapping zapped by both. */
        public boolean complete() {
            return zappedByReset == mappings && refusedAfterMemoryDisable == mappings;
        }
    }

    /** What a debugger learns of a WC mapping afterwards. */
    public record Debug(String regionInfo, String maps) {}

    /** The device file's pgoff space a WC mapping takes, under the default layout. */
    public record PgoffUse(long fileOffset, long treeRangesAdded, String where) {}

    /** Whether a 32-bit kernel reaches a WC mapping, under the legacy (default) and packed layouts. */
    public record Reach(String legacy, String packed) {}

    /** The protection a WC mapping gets on one arch: the VMA's and the PTE's memory type. */
    public record Pgprot(String vma, String pte) {}

    /** Lines of the variant's patch against stage 5 in {@code series/}, -1 when not found. */
    public record PatchLines(int mainAdded, int mainRemoved, int testAdded, int patches) {}

    /** One variant's row. */
    public record Row(String variant, String design, String proposer, Surface surface, Steps steps,
            OldClients oldClients, Revocation revocation, Debug debug, PgoffUse pgoff, Reach reach32,
            String isolation, Map<String, Pgprot> pgprot, PatchLines lines) {}

    /** The variants on the class path that implement a WC design, in name order. */
    public static List<Stage> variants() {
        List<Stage> out = new ArrayList<>();
        for (Stage s : Stages.variants()) {
            if (WcUapi.byVariant(s.variant()) != null) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Every variant's row; {@code repo} is the repository root whose {@code series/} holds the
     * patches (null: the line counts are -1).
     */
    public static List<Row> compute(Path repo) {
        List<Row> rows = new ArrayList<>();
        for (Stage s : variants()) {
            rows.add(row(s, repo));
        }
        return rows;
    }

    static Row row(Stage s, Path repo) {
        WcUapi u = WcUapi.byVariant(s.variant());
        WcMapper mapper = WcMapper.of(u);
        Map<String, Pgprot> pgprot = new LinkedHashMap<>();
        for (Arch a : new Arch[] {Arch.X86_64, Arch.ARM64_4K}) {
            pgprot.put(a.cliName(), pgprot(s, u, a));
        }
        return new Row(s.variant(), u.design(), u.proposer(), surface(u), steps(s, mapper),
                oldClients(s, mapper), revocation(s, mapper), debug(s, mapper), pgoff(s, mapper),
                reach32(s, mapper), isolation(s, mapper), pgprot, lines(repo, s.variant()));
    }

    static Surface surface(WcUapi u) {
        WcUapi.Surface sf = u.surface();
        java.util.Set<String> statuses = new java.util.TreeSet<>();
        sf.constants().forEach(c -> statuses.add(c.status().label()));
        sf.structs().forEach(c -> statuses.add(c.status().label()));
        return new Surface(sf.count(WcUapi.Kind.IOCTL), sf.count(WcUapi.Kind.FEATURE),
                sf.structs().size(), sf.count(WcUapi.Kind.FLAG), sf.count(WcUapi.Kind.CAPABILITY),
                sf.count(WcUapi.Kind.VALUE), sf.headerLines(), String.join("; ", statuses));
    }

    private static VfioHost host(Stage s, Arch arch, SeriesPolicy pol, String... devices) {
        List<DeviceSpec> specs = new ArrayList<>();
        for (String d : devices) {
            specs.add(DeviceCatalogue.byName(d).orElseThrow());
        }
        return s.boot(arch, specs, pol);
    }

    /** A minimal client: open, the design's calls, one store; counted by an observer. */
    static Steps steps(Stage s, WcMapper mapper) {
        Process p = new Process(host(s, Arch.X86_64, SeriesPolicy.DEFAULT, "ena-llq"));
        List<String> calls = new ArrayList<>();
        p.setObserver(new SyscallObserver() {
            @Override
            public void enter(Process proc, String name, List<Object> args) {
                if (name.equals("ioctl")) {
                    calls.add("ioctl " + VfioIoctl.name((Integer) args.get(1)));
                } else {
                    calls.add(name);
                }
            }

            @Override
            public void exit(Process proc, String name, List<Object> args, Object result,
                    RuntimeException failure) {}
        });
        int fd = p.open("ena-llq");
        WcMapper.Result r = mapper.mapWc(p, fd, 2, 0, p.arch().pageSize());
        r.mapping().store(0, 8, 1);
        p.setObserver(null);
        return new Steps(calls.size(), List.copyOf(calls));
    }

    private static List<String> oldTranscript(Stage s, WcMapper mapper, boolean qemu, boolean otherWc) {
        String device = qemu ? "igd" : "qat-vf";
        VfioHost host = host(s, Arch.X86_64, SeriesPolicy.DEFAULT, device);
        if (otherWc) {
            Process other = new Process(host);
            mapper.mapWc(other, other.open(device), 2, 0, other.arch().pageSize());
        }
        Transcript t = new Transcript(device);
        (qemu ? new QemuClient() : new QatlibClient()).run(new Process(host), device, t);
        return t.lines();
    }

    static OldClients oldClients(Stage s, WcMapper mapper) {
        List<String> q0 = oldTranscript(s, mapper, true, false);
        List<String> q1 = oldTranscript(s, mapper, true, true);
        List<String> a0 = oldTranscript(s, mapper, false, false);
        List<String> a1 = oldTranscript(s, mapper, false, true);
        boolean qemuWorks = q1.contains("realize complete") && q1.contains("IGD OpRegion read");
        String pmisc = a0.stream().filter(l -> l.startsWith("PMISC BAR is region")).findFirst().orElse("");
        boolean qatWorks = !pmisc.isEmpty() && a1.stream().anyMatch(l -> l.startsWith(pmisc.substring(0, 22)));
        List<String> notes = new ArrayList<>();
        if (!q0.equals(q1)) {
            notes.add("QEMU: " + diffNote(q0, q1));
        }
        if (!a0.equals(a1)) {
            notes.add("qatlib: " + diffNote(a0, a1));
        }
        return new OldClients(q0.equals(q1), qemuWorks, a0.equals(a1), qatWorks, String.join("; ", notes));
    }

    private static String diffNote(List<String> before, List<String> after) {
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        return added.size() + " transcript line" + (added.size() == 1 ? "" : "s") + " new or changed"
                + (added.isEmpty() ? "" : ", first: '" + added.get(0) + "'");
    }

    static Revocation revocation(Stage s, WcMapper mapper) {
        List<Mapping> wc = new ArrayList<>();
        Process p = new Process(host(s, Arch.X86_64, SeriesPolicy.DEFAULT, "gpu-64g"));
        int a = p.open("gpu-64g");
        int b = p.open("gpu-64g");
        for (int fd : new int[] {a, b}) {
            wc.add(mapper.mapWc(p, fd, 3, 0, 0x10000).mapping());
            wc.add(mapper.mapWc(p, fd, 3, 0x10000, 0x10000).mapping());
        }
        for (Mapping m : wc) {
            m.store(0, 4, 1);
        }
        p.ioctl(a, VfioIoctl.VFIO_DEVICE_RESET, 0L);
        int zapped = 0;
        for (Mapping m : wc) {
            if (m.pageTableEntries().values().stream().mapToLong(Long::longValue).sum() == 0) {
                zapped++;
            }
            m.load(0, 4);
        }
        long cfg = offset(p, a, 7);
        byte[] cmd = new byte[2];
        p.pread(a, cmd, cfg + 4);
        cmd[0] &= ~0x2;
        p.pwrite(a, cmd, cfg + 4);
        int refused = 0;
        for (Mapping m : wc) {
            try {
                m.load(0, 4);
            } catch (SigbusException e) {
                refused++;
            }
        }
        return new Revocation(wc.size(), zapped, refused);
    }

    private static long offset(Process p, int fd, long index) {
        byte[] buf = VfioRegionInfo.request(index, 64);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        return RegionInfoReply.decode(buf).info().offset();
    }

    static Debug debug(Stage s, WcMapper mapper) {
        Process p = new Process(host(s, Arch.X86_64, SeriesPolicy.DEFAULT, "ena-llq"));
        int fd = p.open("ena-llq");
        WcMapper.Result r = mapper.mapWc(p, fd, 2, 0, p.arch().pageSize());
        String maps = p.file(r.fd()).kernelFile().name() + " at offset 0x" + Long.toHexString(r.fileOffset());
        byte[] dev = new VfioDeviceInfo(VfioDeviceInfo.SIZE, 0, 0, 0, 0, 0).encode();
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, dev);
        long n = VfioDeviceInfo.decode(dev, 0).numRegions();
        List<String> said = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            byte[] buf = VfioRegionInfo.request(i, 256);
            try {
                p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            } catch (ErrnoException e) {
                continue;
            }
            RegionInfoReply ri = RegionInfoReply.decode(buf);
            long off = ri.info().offset();
            long size = ri.info().size();
            if (size != 0 && Long.compareUnsigned(r.fileOffset() - off, size) < 0
                    && Long.compareUnsigned(r.fileOffset(), off) >= 0) {
                said.add("region " + i + " covers it"
                        + (ri.caps().isEmpty() ? "" : " (" + ri.caps().stream()
                                .map(c -> VfioRegionInfo.capName(c.id())).toList() + ")"));
            }
        }
        String regionInfo = r.fd() != fd ? "no region: the mapping is of another file"
                : said.isEmpty() ? "no region covers its offset: nothing names it"
                : String.join("; ", said);
        return new Debug(regionInfo, maps);
    }

    static PgoffUse pgoff(Stage s, WcMapper mapper) {
        Process p = new Process(host(s, Arch.X86_64, SeriesPolicy.DEFAULT, "ena-llq"));
        int fd = p.open("ena-llq");
        long before = p.file(fd).kernelFile().mmapCookieCount();
        WcMapper.Result r = mapper.mapWc(p, fd, 2, 0, p.arch().pageSize());
        long added = p.file(fd).kernelFile().mmapCookieCount() - before;
        String where;
        if (r.fd() != fd) {
            where = "none of the device file's: offset 0 of the dma-buf's own file";
        } else {
            long slot = r.fileOffset() >>> 40;
            where = "1 TiB slot " + slot + " (" + (slot < VfioIndex.VFIO_PCI_NUM_REGIONS ? "a region's"
                    : "above the " + VfioIndex.VFIO_PCI_NUM_REGIONS + " fixed regions") + ")";
        }
        return new PgoffUse(r.fd() == fd ? r.fileOffset() : -1, added, where);
    }

    private static String tryMap(Stage s, WcMapper mapper, SeriesPolicy pol) {
        Process p = new Process(host(s, Arch.I386, pol, "ena-llq"));
        int fd = p.open("ena-llq");
        try {
            WcMapper.Result r = mapper.mapWc(p, fd, 2, 0, p.arch().pageSize());
            r.mapping().store(0, 4, 1);
            return "maps";
        } catch (ErrnoException e) {
            return Errno.name(e.errno());
        }
    }

    static Reach reach32(Stage s, WcMapper mapper) {
        return new Reach(tryMap(s, mapper, SeriesPolicy.DEFAULT),
                tryMap(s, mapper, SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED)));
    }

    /**
     * Whether another process's file of the device reaches one file's WC mapping by the handle
     * the first was given: the cookie's offset, the alias's region index (asked of REGION_INFO in
     * the other file), the dma-buf's descriptor.
     */
    static String isolation(Stage s, WcMapper mapper) {
        VfioHost host = host(s, Arch.X86_64, SeriesPolicy.DEFAULT, "ena-llq");
        Process a = new Process(host);
        Process b = new Process(host);
        int fa = a.open("ena-llq");
        int fb = b.open("ena-llq");
        WcMapper.Result r = mapper.mapWc(a, fa, 2, 0, a.arch().pageSize());
        int target = r.fd() == fa ? fb : r.fd();
        try {
            long offset = r.aliasIndex() >= 0 ? offset(b, fb, r.aliasIndex()) : r.fileOffset();
            Mapping m = b.mmap(0, b.arch().pageSize(), Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED,
                    target, offset);
            return "shared: another file maps it by the same handle (" + m.pgprot() + ")";
        } catch (ErrnoException e) {
            return "per file: another file's mmap of the offset is " + Errno.name(e.errno());
        }
    }

    static Pgprot pgprot(Stage s, WcUapi u, Arch arch) {
        Process p = new Process(host(s, arch, SeriesPolicy.DEFAULT, "ena-llq"));
        DpdkWcClient.Report r = new DpdkWcClient(u).report(p, "ena-llq", new Transcript("pgprot"));
        if (!r.passed()) {
            return new Pgprot("-", r.failure());
        }
        return new Pgprot(r.llqProbe().vma().kernelHelper(), r.llqProbe().pte().memoryType(arch)
                + (r.llqProbe().pte() != r.llqProbe().vma() ? " (PAT memtype of the BAR)" : ""));
    }

    /** Counts the variant's patch in {@code series/step5-to-NAME/}. */
    static PatchLines lines(Path repo, String variant) {
        if (repo == null) {
            return new PatchLines(-1, -1, -1, 0);
        }
        Path dir = repo.resolve("series");
        List<Path> patches;
        try (Stream<Path> st = Files.list(dir)) {
            Path vdir = st.filter(d -> d.getFileName().toString().endsWith("-to-" + variant)).findFirst()
                    .orElse(null);
            if (vdir == null) {
                return new PatchLines(-1, -1, -1, 0);
            }
            try (Stream<Path> ps = Files.list(vdir)) {
                patches = ps.filter(f -> f.toString().endsWith(".patch")).sorted().toList();
            }
        } catch (IOException e) {
            return new PatchLines(-1, -1, -1, 0);
        }
        int added = 0;
        int removed = 0;
        int test = 0;
        for (Path f : patches) {
            String file = "";
            for (String line : read(f).split("\n", -1)) {
                if (line.startsWith("diff --git ")) {
                    file = line;
                } else if (line.startsWith("+++ ") || line.startsWith("--- ")) {
                    continue;
                } else if (line.startsWith("+")) {
                    if (file.contains(" a/src/main/")) {
                        added++;
                    } else {
                        test++;
                    }
                } else if (line.startsWith("-") && file.contains(" a/src/main/")) {
                    removed++;
                }
            }
        }
        return new PatchLines(added, removed, test, patches.size());
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The comparison as a table, one line per property: its label, then each variant's cell, as
     * {@code wc --compare} and the HTML report print it.
     */
    public static List<String[]> table(List<Row> rows) {
        List<String[]> t = new ArrayList<>();
        add(t, rows, "new uAPI", r -> {
            Surface s = r.surface();
            return s.ioctls() + " ioctl, " + s.features() + " feature, " + s.structs() + " struct, "
                    + s.flags() + " flag, " + s.capabilities() + " capability, " + s.values() + " values; "
                    + s.headerLines() + " lines of vfio.h (" + s.status() + ")";
        });
        add(t, rows, "open to first WC store", r -> r.steps().count() + " calls: "
                + String.join(", ", r.steps().calls()));
        add(t, rows, "old clients", r -> {
            OldClients o = r.oldClients();
            return "QEMU " + (o.qemuUntouched() ? "untouched" : o.qemuStillWorks() ? "works, sees more"
                    : "BROKEN") + ", qatlib " + (o.qatlibUntouched() ? "untouched"
                    : o.qatlibStillWorks() ? "works, sees more" : "BROKEN")
                    + (o.note().isEmpty() ? "" : " (" + o.note() + ")");
        });
        add(t, rows, "revocation", r -> {
            Revocation v = r.revocation();
            return (v.complete() ? "complete: " : "INCOMPLETE: ") + v.zappedByReset() + "/" + v.mappings()
                    + " WC mappings of 2 files zapped by reset, " + v.refusedAfterMemoryDisable() + "/"
                    + v.mappings() + " SIGBUS after memory disable";
        });
        add(t, rows, "debugger: REGION_INFO", r -> r.debug().regionInfo());
        add(t, rows, "debugger: /proc/PID/maps", r -> r.debug().maps());
        add(t, rows, "pgoff space (default layout)", r -> r.pgoff().treeRangesAdded()
                + " range(s) in the file's tree; " + r.pgoff().where());
        add(t, rows, "32-bit kernel", r -> "legacy layout: " + r.reach32().legacy() + "; packed: "
                + r.reach32().packed());
        add(t, rows, "per-file isolation", Row::isolation);
        for (String arch : rows.get(0).pgprot().keySet()) {
            add(t, rows, "pgprot on " + arch, r -> r.pgprot().get(arch).vma() + " -> "
                    + r.pgprot().get(arch).pte());
        }
        add(t, rows, "kernel model code on stage 5", r -> r.lines().patches() == 0 ? "series/ not found"
                : "+" + r.lines().mainAdded() + " -" + r.lines().mainRemoved() + " lines in src/main ("
                + r.lines().patches() + " patches; +" + r.lines().testAdded() + " test lines)");
        return t;
    }

    private static void add(List<String[]> t, List<Row> rows, String label,
            Function<Row, String> cell) {
        String[] line = new String[rows.size() + 1];
        line[0] = label;
        for (int i = 0; i < rows.size(); i++) {
            line[i + 1] = cell.apply(rows.get(i));
        }
        t.add(line);
    }
}
