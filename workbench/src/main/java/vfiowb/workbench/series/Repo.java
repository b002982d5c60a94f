package vfiowb.workbench.series;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import vfiowb.workbench.UserError;

/**
 * The repository root: the directory whose {@code pom.xml} lists the stage modules
 * ({@code <module>stepK-...</module>}), and those modules in stage order; and the variant
 * modules, those whose own pom names the stage they sit on in the property
 * {@value #VARIANT_PROPERTY}.
 */
public final class Repo {
    private static final Pattern STAGE_MODULE = Pattern.compile("step([1-9][0-9]*)(-[A-Za-z0-9._-]+)?");

    /** The property of a variant module's pom naming the stage it sits on. */
    public static final String VARIANT_PROPERTY = "vfiowb.variant.of";

    private final Path root;
    private final List<StageModule> stages;
    private final List<StageModule> variants;

    private Repo(Path root, List<StageModule> stages, List<StageModule> variants) {
        this.root = root;
        this.stages = List.copyOf(stages);
        this.variants = List.copyOf(variants);
    }

    /** The repository at {@code dir}, which must hold the root pom. */
    public static Repo at(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return read(d).orElseThrow(() -> new UserError(dir + " is not the workbench repository "
                + "(no pom.xml there listing stepN-* modules)"));
    }

    /** The repository holding {@code start}: the nearest directory upward with the root pom. */
    public static Repo find(Path start) {
        for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Optional<Repo> r = read(d);
            if (r.isPresent()) {
                return r.get();
            }
        }
        throw new UserError("not inside the workbench repository (no pom.xml listing stepN-* "
                + "modules in " + start.toAbsolutePath().normalize() + " or above); use --repo DIR");
    }

    /** {@code --repo DIR} when given, otherwise the repository holding the current directory. */
    public static Repo resolve(Path option) {
        return option != null ? at(option) : find(Path.of(System.getProperty("user.dir")));
    }

    private static Optional<Repo> read(Path dir) {
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        List<String> modules = modules(pom);
        List<StageModule> stages = new ArrayList<>();
        List<StageModule> variants = new ArrayList<>();
        for (String m : modules) {
            Matcher mm = STAGE_MODULE.matcher(m);
            if (!mm.matches()) {
                variant(dir, m).ifPresent(variants::add);
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(mm.group(1));
            } catch (NumberFormatException e) {
                throw new UserError(pom + ": stage module '" + m + "' has no usable number");
            }
            for (StageModule s : stages) {
                if (s.number() == n) {
                    throw new UserError(pom + ": two modules for stage " + n + " (" + s.name()
                            + ", " + m + ")");
                }
            }
            stages.add(new StageModule(n, m, dir.resolve(m)));
        }
        if (stages.isEmpty()) {
            return Optional.empty();
        }
        stages.sort(Comparator.comparingInt(StageModule::number));
        for (StageModule v : variants) {
            if (stages.stream().noneMatch(s -> s.number() == v.number())) {
                throw new UserError(v.dir().resolve("pom.xml") + ": " + VARIANT_PROPERTY + " names "
                        + "stage " + v.number() + ", which has no module");
            }
        }
        variants.sort(Comparator.comparingInt(StageModule::number).thenComparing(StageModule::variant));
        return Optional.of(new Repo(dir, stages, variants));
    }

    /** Module {@code m} as a variant, when its pom has {@value #VARIANT_PROPERTY}. */
    private static Optional<StageModule> variant(Path dir, String m) {
        Path pom = dir.resolve(m).resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        NodeList nodes = parse(pom).getElementsByTagNameNS("*", VARIANT_PROPERTY);
        if (nodes.getLength() == 0) {
            return Optional.empty();
        }
        String text = nodes.item(0).getTextContent().trim();
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UserError(pom + ": " + VARIANT_PROPERTY + " '" + text + "' is not a stage number");
        }
        if (n < 1) {
            throw new UserError(pom + ": " + VARIANT_PROPERTY + " " + n + " is not a stage number");
        }
        try {
            return Optional.of(new StageModule(n, m, dir.resolve(m), m));
        } catch (IllegalArgumentException e) {
            throw new UserError(pom + ": variant module '" + m + "': " + e.getMessage());
        }
    }

    private static List<String> modules(Path pom) {
        NodeList nodes = parse(pom).getElementsByTagNameNS("*", "module");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().trim());
        }
        return out;
    }

    private static Document parse(Path pom) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(pom.toFile());
        } catch (IOException | org.xml.sax.SAXException
                | javax.xml.parsers.ParserConfigurationException e) {
            throw new UserError(pom + ": cannot read it as a pom (" + e.getMessage() + ")");
        }
    }

    public Path root() {
        return root;
    }

    /** Every stage module, in stage order, with or without sources. */
    public List<StageModule> stages() {
        return stages;
    }

    /** Every variant module, by the stage it sits on, then by name. */
    public List<StageModule> variants() {
        return variants;
    }

    /** The variant modules that sit on a stage from {@code n} on, with sources. */
    public List<StageModule> variantsFromWithSources(int n) {
        return variants.stream().filter(v -> v.number() >= n && v.hasSources()).toList();
    }

    /** The variant called {@code name}. */
    public StageModule variant(String name) {
        for (StageModule v : variants) {
            if (v.variant().equals(name)) {
                return v;
            }
        }
        throw new UserError("no variant module '" + name + "'" + (variants.isEmpty() ? ""
                : " (the variants are " + String.join(", ", variants.stream().map(StageModule::variant)
                        .toList()) + ")"));
    }

    /** Stage {@code n}'s module. */
    public StageModule stage(int n) {
        for (StageModule s : stages) {
            if (s.number() == n) {
                return s;
            }
        }
        throw new UserError("no stage " + n + " (the stage modules are " + numbers() + ")");
    }

    /** Whether a module exists for stage {@code n}. */
    public boolean hasStage(int n) {
        return stages.stream().anyMatch(s -> s.number() == n);
    }

    /** The stage modules after {@code n} that have sources, in order. */
    public List<StageModule> laterWithSources(int n) {
        return stages.stream().filter(s -> s.number() > n && s.hasSources()).toList();
    }

    /** The commit time of HEAD in seconds since the epoch, when the root is in a git work tree. */
    public java.util.Optional<Long> headCommitTime() {
        return Git.in(root).map(g -> g.run(null, "log", "-1", "--format=%ct", "HEAD"))
                .filter(r -> r.code() == 0 && r.text().strip().matches("[0-9]+"))
                .map(r -> Long.parseLong(r.text().strip()));
    }

    /** {@code series/} at the root. */
    public Path seriesDir() {
        return root.resolve("series");
    }

    String numbers() {
        StringBuilder sb = new StringBuilder();
        for (StageModule s : stages) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.number());
        }
        return sb.toString();
    }
}
