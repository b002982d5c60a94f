package vfiowb.workbench.conform;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;

/**
 * The differences between adjacent stages' conformance transcripts that the series means to
 * make, each with the patch that makes it and why. {@code conform --stage all} marks every
 * difference it finds as declared (with its patch) or not; an undeclared one fails the run, so a
 * stage that changes what userspace sees without saying so is caught.
 *
 * <p>A declaration may also explain scenario <em>failures</em>: stage 1 reproduces what
 * userspace saw before the series (mbochs' own REGION_INFO, vfio-ap's EOPNOTSUPP), and the
 * conformance suite, written to the kernel after the series, fails there; the stage-2 patch
 * that removes the behaviour declares it. A policy the series rejects (byte keys on 32-bit)
 * breaks stage 3 on purpose, and its declaration says so. Such a failure is declared only when
 * every message of the failing run matches what the declaration explains, at the stage it
 * names, for its devices and scenarios, under its arch and policy; any other failure, and any
 * undeclared difference, still fails {@code conform}.
 */
public final class Declared {
    /**
     * Failures a declaration explains: at stages {@code first} to {@code last} (up to its
     * {@code from}: the behaviour its patch removes; from its {@code to} on: the behaviour its
     * patch brings), every message of a failing run matching {@code message}.
     */
    public record Failing(int first, int last, Pattern message) {}

    /**
     * One declared difference: between stage {@code from} and {@code to}, for devices whose name
     * matches {@code device} and keys matching {@code key}, a changed transcript line matching
     * {@code line}, made by the patch subject {@code patch} of stage {@code to} (with
     * {@code <driver>} for each converted driver's own patch; null only while that stage lists
     * no patch subjects yet); {@code failing} (or null) the failures it explains.
     */
    public record Difference(int from, int to, Pattern device, Pattern key, Pattern line,
            String patch, String reason, Predicate<Context> when, Failing failing) {
        /** A difference under every arch and policy, explaining no failure. */
        public Difference(int from, int to, Pattern device, Pattern key, Pattern line,
                String reason) {
            this(from, to, device, key, line, null, reason, c -> true, null);
        }

        public boolean matches(int f, int t, String dev, String k, String l) {
            return matches(Context.DEFAULT, f, t, dev, k, l);
        }

        public boolean matches(Context c, int f, int t, String dev, String k, String l) {
            return f == from && t == to && when.test(c) && device.matcher(dev).matches()
                    && key.matcher(k).matches() && line.matcher(l.strip()).matches();
        }

        /** Whether this declaration explains {@code message} of a failing run at {@code stage}. */
        public boolean explains(Context c, int stage, String dev, String k, String message) {
            return failing != null && stage >= failing.first() && stage <= failing.last()
                    && when.test(c)
                    && device.matcher(dev).matches() && key.matcher(k).matches()
                    && failing.message().matcher(message).matches();
        }

        /**
         * {@code "vfio/mbochs: ..." (stage 2): reason}: the patch that makes the difference, or
         * {@code stage 4: reason} while the stage lists no patch subjects yet.
         */
        public String summary() {
            return (patch == null ? "stage " + to + ": " : "\"" + patch + "\" (stage " + to + "): ")
                    + reason;
        }

        /**
         * {@code "vfio/mbochs: ..." (stage 2) removes it: reason}: the patch and what it does
         * to a failure at {@code stage}, for people.
         */
        public String describe(int stage) {
            String p = patch == null ? "stage " + to + " " : "\"" + patch + "\" (stage " + to + ") ";
            if (failing == null || stage >= to) {
                return p + (failing != null ? "brings it: " : "") + reason;
            }
            return p + "removes it: " + reason;
        }
    }

    /** What a comparison ran under: some differences are a policy's or an arch's. */
    public record Context(Arch arch, SeriesPolicy policy) {
        public static final Context DEFAULT = new Context(Arch.X86_64, SeriesPolicy.DEFAULT);
    }

    private static final String REQUIRE_OP = "vfio: Require drivers to implement get_region_info";
    private static final String MBOCHS_CAPS =
            "vfio/mbochs: Convert mbochs to use vfio_info_add_capability()";
    private static final String MMAP_OBJ =
            "vfio: Add the mmap_obj op; the core resolves vm_pgoff through the tree";
    private static final String PLACE =
            "vfio: Add the get_region_info_obj op; the core places each region's cookie";
    private static final String PCI_COOKIES = "vfio/pci: Convert vfio_pci_ops to the mmap cookie ops";
    /** Each converted driver's own patch of stage 4 (one subject per driver). */
    private static final String EACH_DRIVER = "vfio/<driver>: Convert to the mmap cookie ops";
    private static final String TREE =
            "vfio: Add struct vfio_mmap and a per-file maple tree of mmap cookies";

    private static final List<Difference> ALL = List.of(
            new Difference(1, 2, Pattern.compile(".*"), Pattern.compile("scenario:RI-04|fuzz"),
                    Pattern.compile("GET_REGION_INFO region (\\d+|\\?) argsz=(\\d+|\\?)( buffer=\\d+)? "
                            + "-> (EOPNOTSUPP|EINVAL)"
                            + "|ioctl VFIO_DEVICE_GET_REGION_INFO value=\\S+ -> (EOPNOTSUPP|EINVAL)"
                            + "|expect index \\S+ fails with EINVAL: (FAILED \\(EOPNOTSUPP\\)|ok)"),
                    REQUIRE_OP, "the core answers REGION_INFO itself and refuses a driver without "
                            + "the op (vfio-ap, no regions) with -EINVAL, where the driver's own "
                            + "ioctl said -EOPNOTSUPP", c -> true,
                    new Failing(1, 1, Pattern.compile("index \\S+ fails with EINVAL "
                            + "\\(observed EOPNOTSUPP\\)"))),
            new Difference(1, 2, Pattern.compile("mbochs"), Pattern.compile(".*"),
                    Pattern.compile(".*(region 9|cap_offset|argsz|cap@|capabilit|chain).*"),
                    MBOCHS_CAPS, "mbochs copied argsz bytes of its fixed info-plus-TYPE structure "
                            + "with cap_offset 32 whatever argsz was, and refused a larger argsz "
                            + "with -EINVAL; the core's copy raises argsz and leaves cap_offset 0 "
                            + "when the chain does not fit", c -> true,
                    new Failing(1, 1, Pattern.compile(".*(region 9|cap_offset|argsz|capabilit).*"))),
            new Difference(2, 3, onCookiePath(3), Pattern.compile("scenario:.*|fuzz"),
                    Pattern.compile("mmap \\S+ \\+ 0x[0-9a-f]+ len=0x[0-9a-f]+ \\S+ \\S+ -> (EINVAL|ENXIO)"
                            + "|expect \\S+ \\((no MMAP|no bytes, so no cookie)\\) fails with "
                            + "(EINVAL|ENXIO): (ok|FAILED \\(\\w+\\))"),
                    MMAP_OBJ, "core mmap loads the cookie at vm_pgoff and needs the VMA wholly "
                            + "inside it; a miss (a region without bytes has no cookie) or a VMA "
                            + "past the region's end is -ENXIO, as the seed's sketch, before the "
                            + "driver sees it; vfio_pci_core_mmap said -EINVAL", c -> true, null),
            new Difference(2, 3, Pattern.compile("cxl-2t"), Pattern.compile("scenario:.*|fuzz"),
                    Pattern.compile("(pread|pwrite|mmap|load\\d+|store\\d+) BAR2 \\+ 0x[0-9a-f]{11,} .*"
                            + "|expect .*(1 TiB|past the BAR|region end).*"),
                    PCI_COOKIES, "the series' purpose: a region over 1 TiB gets a cookie past the fixed "
                            + "slots and is reachable through it; with index << 40 the byte at "
                            + "1 TiB + 8 decoded as region 3 and failed", c -> true, null),
            new Difference(2, 3, onCookiePath(3), Pattern.compile(".*"), Pattern.compile(".*"),
                    PLACE, "layout=packed on a 32-bit kernel: the series' purpose; regions packed "
                            + "below 4 GiB map where index << 40 put every one but BAR0 past "
                            + "file_mmap_ok's limit (EOVERFLOW), so every client maps and touches "
                            + "more than before",
                    c -> c.arch().is32Bit() && c.policy().layout() == SeriesPolicy.Layout.PACKED,
                    null),
            new Difference(2, 3, onCookiePath(3), Pattern.compile(".*"), Pattern.compile(".*"),
                    TREE, "keys=bytes with layout=legacy on a 32-bit kernel: byte keys end at "
                            + "4 GiB, so no fixed slot but index 0 is a key; REGION_INFO of every "
                            + "other region is -EOVERFLOW and clients fail: why the tree is keyed "
                            + "by pgoff",
                    c -> c.arch().is32Bit() && c.policy().keys() == SeriesPolicy.Keys.BYTES
                            && c.policy().layout() == SeriesPolicy.Layout.LEGACY,
                    new Failing(3, Integer.MAX_VALUE, Pattern.compile(".*\\(observed .*\\)|.*REGION_INFO failed with "
                            + "EOVERFLOW"))),
            new Difference(3, 4, onCookiePath(4), Pattern.compile("scenario:.*|fuzz"),
                    Pattern.compile("mmap (\\S+|region \\d+) \\+ 0x[0-9a-f]+ len=0x[0-9a-f]+ \\S+ \\S+ -> "
                            + "(EINVAL|ENXIO|EPERM)"
                            + "|expect \\S+ \\((no MMAP|no bytes, so no cookie)\\) fails with "
                            + "(EINVAL|ENXIO): (ok|FAILED \\(\\w+\\))"),
                    EACH_DRIVER, "stage 4 puts the driver on the cookie ops: an mmap no cookie covers, or "
                            + "past its region, is -ENXIO from the core before the driver's own "
                            + "checks (cdx's -EPERM for a too-long mapping of a read-only region "
                            + "included)", c -> true, null),
            new Difference(3, 4, onCookiePath(4), Pattern.compile("scenario:.*|fuzz"),
                    Pattern.compile("(pread|pwrite) (\\S+|region \\d+) \\+ 0x[0-9a-f]+ (len=0|\\[\\]) "
                            + "-> (EINVAL|ETIME|0)"),
                    EACH_DRIVER, "the core answers a zero-length read or write on the cookie path with 0 "
                            + "before any lookup, as vfio-pci always did; platform and fsl-mc said "
                            + "-EINVAL at a region's end, fsl-mc for any count but 64, and "
                            + "nvgrace-gpu's fake BARs -ETIME from the readiness check after a reset",
                    c -> true, null),
            new Difference(3, 4, onCookiePath(4), Pattern.compile(".*"),
                    Pattern.compile("GET_REGION_INFO .* offset=(page\\+0x[0-9a-f]+|page-aligned)"
                            + "|region ranges: .*"),
                    EACH_DRIVER, "the driver's own offset layout goes away (ccw's 10-bit, ism's 48-bit, the "
                            + "mdev samples' fixed pages): every region sits where the core's "
                            + "layout puts its cookie, page aligned; offsets are not ABI", c -> true,
                    null),
            new Difference(3, 4, onCookiePath(4), Pattern.compile("scenario:.*|fuzz"),
                    Pattern.compile("mmap (\\S+|region \\d+) \\+ 0x[0-9a-f]+ len=0x[0-9a-f]+ \\S+ \\S+ -> "
                            + "(EOVERFLOW|EINVAL|ENXIO|ok.*)"
                            + "|expect .*fails with (EINVAL|ENXIO|the limit's errno): (ok|FAILED.*)"),
                    EACH_DRIVER, "on a 32-bit kernel a region's new offset decides whether mmap reaches the "
                            + "driver at all: under legacy, ccw's regions move from below 4 GiB to "
                            + "index << 40 (EOVERFLOW before the driver, which refused anyway); "
                            + "under packed, every region comes below 4 GiB",
                    c -> c.arch().is32Bit(), null),
            new Difference(3, 4, Pattern.compile("mbochs|mdpy|mtty|kvmgt-vgpu|ism"),
                    Pattern.compile("scenario:.*|client:.*"),
                    Pattern.compile("(pread|pwrite) (\\S+|region \\d+) \\+ 0x[0-9a-f]+ (len=\\d+|\\[.*\\]) -> .*"
                            + "|expect .*"),
                    EACH_DRIVER, "(mdpy, mbochs, mtty, gvt, ism) the driver's fixed layout gives way to the core's: a region without "
                            + "bytes reports its own slot, where mbochs and mdpy reported an offset "
                            + "another region used (a read there read config space), so it now "
                            + "reaches nothing (-EINVAL); and an access past a region reaches that "
                            + "region's driver, which refuses it as it refuses any out-of-range "
                            + "access (mtty, kvmgt: -EINVAL/-EFAULT from the core or the driver)",
                    c -> true, null),
            new Difference(3, 4, Pattern.compile("mbochs"), Pattern.compile("scenario:.*|fuzz"),
                    Pattern.compile("KERNEL BUG: out-of-bounds in samples/vfio-mdev/mbochs.c:"
                            + "__mbochs_get_page.*"
                            + "|(pread|pwrite|load|store) BAR0 \\+ 0x[0-9a-f]+ .* -> (EFAULT|SIGSEGV) "
                            + "kernel bug in samples/vfio-mdev/mbochs.c:__mbochs_get_page"
                            + "|(pread|pwrite) BAR0 \\+ 0x[0-9a-f]+ len=\\d+ -> \\d+( \\[.*\\])?"),
                    "vfio/mbochs: Convert to the mmap cookie ops", "the offset inside the "
                            + "memory BAR comes from the cookie, so mdev_access no longer subtracts "
                            + "the wrong base and the page lookup stays inside pagecount: an "
                            + "upstream out-of-bounds read the series fixes on the way", c -> true,
                    null),
            new Difference(3, 4, Pattern.compile("mtty"), Pattern.compile("scenario:.*"),
                    Pattern.compile("KERNEL BUG: out-of-bounds in samples/vfio-mdev/mtty.c:"
                            + "handle_bar_(read|write): .*"),
                    "vfio/mtty: Convert to the mmap cookie ops", "BAR2 to BAR5 have no bytes, "
                            + "so no cookie; an access there no longer reaches handle_bar_read's "
                            + "two-entry serial-port array: an upstream out-of-bounds access the "
                            + "series removes on the way", c -> true, null),
            new Difference(3, 4, Pattern.compile("ism"), Pattern.compile(".*"), Pattern.compile(".*"),
                    "vfio/ism: Convert to the mmap cookie ops", "ism's 256 TiB BAR0 on a 32-bit kernel under the legacy layout: placed "
                            + "above every fixed slot, it needs keys past 2^32 pages, so REGION_INFO "
                            + "of BAR0 is -EOVERFLOW (the 48-bit layout reported an offset no 32-bit "
                            + "process could map anyway); ism exists only on s390x",
                    c -> c.arch().is32Bit(), null),
            new Difference(3, 4, onCookiePath(4), Pattern.compile(".*"), Pattern.compile(".*"),
                    EACH_DRIVER, "layout=packed on a 32-bit kernel, for the drivers stage 4 converts: their "
                            + "regions move below 4 GiB, so every client maps and touches more",
                    c -> c.arch().is32Bit() && c.policy().layout() == SeriesPolicy.Layout.PACKED,
                    null),
            new Difference(3, 4, onCookiePath(4), Pattern.compile(".*"), Pattern.compile(".*"),
                    EACH_DRIVER, "keys=bytes with layout=legacy on a 32-bit kernel, for the drivers stage 4 "
                            + "converts: as for vfio-pci at stage 3, no fixed slot but index 0 is a "
                            + "key, so REGION_INFO of every other region is -EOVERFLOW",
                    c -> c.arch().is32Bit() && c.policy().keys() == SeriesPolicy.Keys.BYTES
                            && c.policy().layout() == SeriesPolicy.Layout.LEGACY,
                    new Failing(4, Integer.MAX_VALUE, Pattern.compile(".*\\(observed .*\\)"
                            + "|.*REGION_INFO failed with EOVERFLOW"))));

    /**
     * The catalogue devices whose ops table moves to the cookie path at {@code stage}: at stage
     * 3 vfio_pci_ops; at stage 4 every other table with regions (vfio-ap has none).
     */
    private static Pattern onCookiePath(int stage) {
        java.util.function.Predicate<String> table = stage == 3 ? t -> t.equals("vfio_pci_ops")
                : stage == 4 ? t -> !t.equals("vfio_pci_ops") && !t.equals("vfio_ap_matrix_dev_ops")
                : t -> false;
        return Pattern.compile(DeviceCatalogue.all().stream()
                .filter(d -> table.test(d.opsTable()))
                .map(d -> Pattern.quote(d.name())).collect(Collectors.joining("|")));
    }

    private Declared() {}

    /**
     * The subjects of {@code subjects} that {@code patch} names: itself, or with
     * {@code <driver>} every driver's patch of that form.
     */
    public static List<String> patches(String patch, List<String> subjects) {
        if (patch == null) {
            return List.of();
        }
        if (!patch.contains("<driver>")) {
            return subjects.contains(patch) ? List.of(patch) : List.of();
        }
        Pattern p = Pattern.compile(Pattern.quote(patch).replace("<driver>", "\\E[^:]+\\Q"));
        return subjects.stream().filter(x -> p.matcher(x).matches()).toList();
    }

    /** The declaration covering a changed line under the default arch and policy, or null. */
    public static Difference find(int from, int to, String device, String key, String line) {
        return find(Context.DEFAULT, from, to, device, key, line);
    }

    /** The declaration covering a changed line, or null. */
    public static Difference find(Context c, int from, int to, String device, String key,
            String line) {
        for (Difference d : ALL) {
            if (d.matches(c, from, to, device, key, line)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The declarations that explain a failing run: one per message, each message explained by
     * some declaration; null when any message is not (the failure is then real).
     */
    public static List<Difference> explaining(Context c, int stage, String device, String key,
            List<String> messages) {
        if (messages.isEmpty()) {
            return null;
        }
        List<Difference> out = new java.util.ArrayList<>();
        for (String m : messages) {
            Difference found = null;
            for (Difference d : ALL) {
                if (d.explains(c, stage, device, key, m)) {
                    found = d;
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        return out;
    }

    /**
     * The one declaration covering a changed call whose line was {@code before} at stage
     * {@code from} and {@code after} at stage {@code to}, or null: the fuzzer's comparison,
     * where both lines must be what a single declaration says the patch changes.
     */
    public static Difference find(Context c, int from, int to, String device, String key,
            String before, String after) {
        for (Difference d : ALL) {
            if (d.matches(c, from, to, device, key, before) && d.matches(c, from, to, device, key, after)) {
                return d;
            }
        }
        return null;
    }

    /** Every declaration, in order. */
    public static List<Difference> all() {
        return ALL;
    }

    /**
     * Where a declaration applies, in words: {@code every arch and policy}, or the arches and
     * knob values of the contexts its condition holds in ({@code arch i386, layout=packed}),
     * found by evaluating the condition on every arch with every combination of the series'
     * knobs (placement at its default). A knob every value of which occurs is left out, so a
     * condition that is a conjunction of arch and knob tests reads back exactly.
     */
    public static String where(Difference d) {
        List<Context> all = new java.util.ArrayList<>();
        for (Arch a : Arch.values()) {
            for (SeriesPolicy p : SeriesPolicy.allSeriesKnobs(SeriesPolicy.DEFAULT.placement())) {
                all.add(new Context(a, p));
            }
        }
        List<Context> holds = all.stream().filter(d.when()::test).toList();
        if (holds.size() == all.size()) {
            return "every arch and policy";
        }
        if (holds.isEmpty()) {
            return "no arch or policy";
        }
        List<String> parts = new java.util.ArrayList<>();
        java.util.Set<String> arches = new java.util.LinkedHashSet<>();
        holds.forEach(c -> arches.add(c.arch().cliName()));
        if (arches.size() < Arch.values().length) {
            parts.add("arch " + String.join(", ", arches));
        }
        knob(parts, holds, "create", c -> c.policy().create(), SeriesPolicy.Create.values().length);
        knob(parts, holds, "layout", c -> c.policy().layout(), SeriesPolicy.Layout.values().length);
        knob(parts, holds, "align", c -> c.policy().align(), SeriesPolicy.Align.values().length);
        knob(parts, holds, "keys", c -> c.policy().keys(), SeriesPolicy.Keys.values().length);
        return String.join(", ", parts);
    }

    private static void knob(List<String> parts, List<Context> holds, String name,
            java.util.function.Function<Context, Object> value, int values) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        holds.forEach(c -> seen.add(String.valueOf(value.apply(c))));
        if (seen.size() < values) {
            parts.add(name + "=" + String.join("|", seen));
        }
    }
}
