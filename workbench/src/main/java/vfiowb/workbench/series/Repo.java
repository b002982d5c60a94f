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
 * ({@code <module>stepK-...</module>}), and those modules in stage order.
 */
public final class Repo {
    private static final Pattern STAGE_MODULE = Pattern.compile("step([1-9][0-9]*)(-[A-Za-z0-9._-]+)?");

    private final Path root;
    private final List<StageModule> stages;

    private Repo(Path root, List<StageModule> stages) {
        this.root = root;
        this.stages = List.copyOf(stages);
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
        for (String m : modules) {
            Matcher mm = STAGE_MODULE.matcher(m);
            if (!mm.matches()) {
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
        return Optional.of(new Repo(dir, stages));
    }

    private static List<String> modules(Path pom) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(pom.toFile());
            NodeList nodes = doc.getElementsByTagNameNS("*", "module");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                out.add(nodes.item(i).getTextContent().trim());
            }
            return out;
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
