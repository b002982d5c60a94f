package vfiowb.workbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;
import vfiowb.common.stage.PolicyStage;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SysfsFormatException;
import vfiowb.common.hw.SysfsPciSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;

/** The options several commands share, as picocli mixins, and their checks. */
public final class Options {
    private Options() {}

    /**
     * {@code --stage N}, {@code --stage VARIANT} or {@code --stage all}; the default is the last
     * stage. {@code all} is every stage of the series, never the variants.
     */
    public static final class StageOption {
        @Option(names = "--stage", paramLabel = "N|VARIANT|all", completionCandidates = StageNames.class,
                description = "Stage of the series, 1 to the last stage on the class path "
                        + "(default: the last), or a variant built on one (wc-cookie, wc-alias, "
                        + "wc-dmabuf: see 'stages'); 'all' (the stages of the series) where the "
                        + "command says so.")
        String stage;

        /** The stages chosen; {@code all} only when {@code allowAll}. */
        public List<Stage> resolve(boolean allowAll) {
            List<Stage> all = Options.stages();
            if (stage == null) {
                return List.of(all.get(all.size() - 1));
            }
            if (stage.equalsIgnoreCase("all")) {
                if (!allowAll) {
                    throw new UserError("--stage all is not available here; name one stage ("
                            + numbers(all) + ")");
                }
                return all;
            }
            return List.of(Options.stage(stage, "--stage"));
        }

        /** The one stage chosen. */
        public Stage single() {
            return resolve(false).get(0);
        }

        /** Whether the user chose {@code all}. */
        public boolean all() {
            return stage != null && stage.equalsIgnoreCase("all");
        }
    }

    /** {@code --policy knob=value,...}: the cookie-tree policy stages boot under. */
    public static final class PolicyOption {
        @Option(names = "--policy", paramLabel = "KNOB=VALUE[,...]",
                description = "Cookie-tree policy (stage 3 on): create=open|region-info, "
                        + "layout=legacy|packed, align=search|oversize|none, keys=pages|bytes; and "
                        + "mm's placement=page|pmd|pgoff for every stage. Default: "
                        + "create=open,layout=legacy,align=search,keys=pages,placement=pgoff "
                        + "(docs/stage3.md says why).")
        String policy;

        /** The policy chosen (the default when none). */
        public SeriesPolicy resolve() {
            if (policy == null) {
                return SeriesPolicy.DEFAULT;
            }
            try {
                return SeriesPolicy.parse(policy);
            } catch (IllegalArgumentException e) {
                throw new UserError("--policy: " + e.getMessage());
            }
        }

        /** {@code stages}, each booting under the chosen policy. */
        public List<Stage> apply(List<Stage> stages) {
            SeriesPolicy p = resolve();
            return stages.stream().map(s -> (Stage) new PolicyStage(s, p)).toList();
        }

        /** Whether the user gave one. */
        public boolean given() {
            return policy != null;
        }
    }

    /** {@code --arch}. */
    public static final class ArchOption {
        @Option(names = "--arch", paramLabel = "ARCH", completionCandidates = ArchNames.class,
                description = "Architecture: x86_64 (default), i386, arm64, arm64-64k.")
        String arch;

        public Arch resolve() {
            if (arch == null) {
                return Arch.X86_64;
            }
            Arch a = Arch.byCliName(arch);
            if (a == null) {
                throw new UserError("unknown arch '" + arch + "' (" + String.join(", ", archNames())
                        + ")");
            }
            return a;
        }
    }

    /** {@code --device NAME} and {@code --sysfs DIR}, each repeatable. */
    public static final class DeviceOption {
        @Option(names = "--device", paramLabel = "NAME", completionCandidates = DeviceNames.class,
                description = "A device of the catalogue (see 'devices').")
        List<String> devices = new ArrayList<>();

        @Option(names = "--sysfs", paramLabel = "DIR",
                description = "A directory holding a PCI function's sysfs 'resource' and 'config' "
                        + "files (optionally 'rom'), modelled under vfio-pci and named after DIR.")
        List<Path> sysfs = new ArrayList<>();

        /** Every device named, catalogue ones first; empty when none. */
        public List<DeviceSpec> resolve() {
            List<DeviceSpec> out = new ArrayList<>();
            for (String d : devices) {
                out.add(device(d));
            }
            for (Path p : sysfs) {
                out.add(sysfs(p));
            }
            List<String> names = new ArrayList<>();
            for (DeviceSpec s : out) {
                if (names.contains(s.name())) {
                    throw new UserError("device '" + s.name() + "' named twice");
                }
                names.add(s.name());
            }
            return out;
        }

        /** As {@link #resolve()}, refusing a device that cannot exist on {@code arch}. */
        public List<DeviceSpec> resolve(Arch arch) {
            List<DeviceSpec> l = resolve();
            for (DeviceSpec d : l) {
                onArch(d, arch);
            }
            return l;
        }

        /** As {@link #single(String)}, refusing a device that cannot exist on {@code arch}. */
        public DeviceSpec single(String defaultName, Arch arch) {
            return onArch(single(defaultName), arch);
        }

        /** The one device named, or the catalogue's {@code defaultName} when none is. */
        public DeviceSpec single(String defaultName) {
            List<DeviceSpec> l = resolve();
            if (l.size() > 1) {
                throw new UserError("name one device, not " + l.size());
            }
            return l.isEmpty() ? device(defaultName) : l.get(0);
        }

        public boolean isEmpty() {
            return devices.isEmpty() && sysfs.isEmpty();
        }
    }

    /**
     * {@code --format}: each command mixes in the subclass naming the forms it offers, so its
     * {@code --help} says exactly those and its default, and anything else is refused.
     */
    public abstract static class FormatOption {
        @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
        picocli.CommandLine.Model.CommandSpec mixee;

        /** What the user gave, or null. */
        abstract Format given();

        /** The forms offered, the default first. */
        abstract Format[] offered();

        /** The form chosen (the default when none); one the command does not offer is refused. */
        public Format get() {
            Format f = given();
            return f == null ? offered()[0] : f.only(mixee.name(), offered());
        }
    }

    /** {@code --format text|json}. */
    public static final class TextOrJson extends FormatOption {
        @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class,
                completionCandidates = TextJsonNames.class,
                description = "Report form: text (default) or json.")
        Format format;

        @Override
        Format given() {
            return format;
        }

        @Override
        Format[] offered() {
            return new Format[] {Format.TEXT, Format.JSON};
        }
    }

    /** {@code --format text|json|markdown}. */
    public static final class TextJsonOrMarkdown extends FormatOption {
        @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class,
                completionCandidates = FormatNames.class,
                description = "Report form: text (default), json, or markdown to paste into a "
                        + "review or cover letter.")
        Format format;

        @Override
        Format given() {
            return format;
        }

        @Override
        Format[] offered() {
            return new Format[] {Format.TEXT, Format.JSON, Format.MARKDOWN};
        }
    }

    /** {@code run}'s {@code --format json|text}: a transcript is for programs first. */
    public static final class JsonOrText extends FormatOption {
        @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class,
                completionCandidates = TextJsonNames.class,
                description = "Transcript form: json (default; JSON lines) or text (one line per "
                        + "statement for people).")
        Format format;

        @Override
        Format given() {
            return format;
        }

        @Override
        Format[] offered() {
            return new Format[] {Format.JSON, Format.TEXT};
        }
    }

    /** Case-insensitive {@link Format} names, with a one-line error. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            for (Format f : Format.values()) {
                if (f.name().equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown format '" + value
                    + "' (text, json, markdown)");
        }
    }

    static final class FormatNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("text", "json", "markdown").iterator();
        }
    }

    static final class TextJsonNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("text", "json").iterator();
        }
    }

    static final class StageNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> l = new ArrayList<>();
            for (Stage s : Stages.all()) {
                l.add(String.valueOf(s.number()));
            }
            for (Stage s : Stages.variants()) {
                l.add(s.variant());
            }
            l.add("all");
            return l.iterator();
        }
    }

    static final class ArchNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return archNames().iterator();
        }
    }

    static final class DeviceNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DeviceCatalogue.all().stream().map(DeviceSpec::name).iterator();
        }
    }

    static List<String> archNames() {
        List<String> l = new ArrayList<>();
        for (Arch a : Arch.values()) {
            l.add(a.cliName());
        }
        return l;
    }

    /** The stages on the class path; a build without any is a user-visible problem. */
    public static List<Stage> stages() {
        List<Stage> all = Stages.all();
        if (all.isEmpty()) {
            throw new UserError("no stage on the class path (is the workbench jar complete?)");
        }
        return all;
    }

    /** The stage numbered by {@code text}, or the variant it names, for option {@code option}. */
    public static Stage stage(String text, String option) {
        List<Stage> all = stages();
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            for (Stage v : Stages.variants()) {
                if (v.variant().equalsIgnoreCase(text.trim())) {
                    return v;
                }
            }
            List<Stage> variants = Stages.variants();
            String planned = SeriesPlan.noVariant(text, variants);
            if (planned != null) {
                throw new UserError(planned);
            }
            throw new UserError(option + " takes a stage number (" + numbers(all) + ")"
                    + (variants.isEmpty() ? "" : " or a variant ("
                            + variants.stream().map(Stage::variant).collect(Collectors.joining(", "))
                            + ")") + ", not '" + text + "'");
        }
        for (Stage s : all) {
            if (s.number() == n) {
                return s;
            }
        }
        throw new UserError(SeriesPlan.noStage(n, all));
    }

    static String numbers(List<Stage> stages) {
        return stages.stream().map(s -> String.valueOf(s.number())).collect(Collectors.joining(", "));
    }

    /**
     * {@code d}, or a usage error when it cannot exist on {@code arch}: a resource with no room
     * below the arch's physical address limit ({@link DeviceCatalogue#absentOn}).
     */
    public static DeviceSpec onArch(DeviceSpec d, Arch arch) {
        java.util.Optional<String> why = DeviceCatalogue.absentOn(d, arch);
        if (why.isPresent()) {
            throw new UserError(why.get());
        }
        return d;
    }

    /** A catalogue device by name. */
    public static DeviceSpec device(String name) {
        return DeviceCatalogue.byName(name).orElseThrow(() -> new UserError("unknown device '"
                + name + "' (see 'vfio-workbench devices')"));
    }

    /** A PCI function described by a sysfs directory. */
    public static DeviceSpec sysfs(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("--sysfs " + dir + ": not a directory");
        }
        try {
            return SysfsPciSpec.load(dir);
        } catch (SysfsFormatException e) {
            throw new UserError("--sysfs " + dir + ": " + e.getMessage());
        }
    }
}
