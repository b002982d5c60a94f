package vfiowb.workbench;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vfiowb.workbench.io.Printable;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.mutation.Equivalents;
import vfiowb.workbench.mutation.Mutant;
import vfiowb.workbench.mutation.MutationScore;
import vfiowb.workbench.mutation.PitReport;
import vfiowb.workbench.mutation.SourceLines;

/**
 * {@code mutation-score}: per-package scores from PIT's {@code mutations.xml} files and the
 * verdict on the goal, so the figures of docs/mutation.md come from a tested tool rather than
 * from scripts written for each session, and the reviewed list of equivalent mutants is checked
 * against every run that reads it.
 */
@Command(name = "mutation-score", mixinStandardHelpOptions = true,
        versionProvider = Workbench.Version.class,
        description = {"Per-package mutation scores from PIT mutations.xml files (profile "
                + "mutation, docs/mutation.md), merged, counted as PIT does: detected = killed, "
                + "timed out, memory error, run error; undetected = survived, no coverage; "
                + "non-viable mutants are not counted. Raw score = detected / generated; score = "
                + "detected / (generated - equivalent), the equivalent mutants being the "
                + "undetected ones an entry of the reviewed list (--equivalents) matches. A "
                + "report cut short (a run stopped early) is read up to its last complete "
                + "mutation and marked truncated.",
            "The list (docs/mutation-equivalents.tsv; its header says the format) is checked "
                + "against the reports: an entry matching a mutant a test detects, or whose class "
                + "is in the reports but that matches no undetected mutant (stale), is an error. "
                + "Entries whose class is not in the reports are passed over.",
            "Exit code 0 when every package in --scope reaches --min over the non-equivalent "
                + "and the list has no error; 1 when a package falls short or the list is wrong; "
                + "2 for a missing or non-PIT report, a malformed list line, a bad option."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"files\": [{\"path\", \"truncated\"}], \"min\", \"scope\", \"equivalents\" (the list's",
            "  path or null), \"packages\": [{\"package\", \"generated\", \"detected\", \"timedOut\",",
            "  \"survived\", \"noCoverage\", \"equivalent\", \"raw\", \"score\", \"inScope\",",
            "  \"belowMin\"}], \"errors\": [message...], with --survivors \"survivors\": [{\"class\",",
            "  \"method\", \"line\", \"mutator\", \"status\", \"description\", \"source\" (the line's",
            "  text or null)}]}",
            "\"raw\" and \"score\" are percentages rounded to one decimal; the verdict uses the",
            "exact fraction.",
            "",
            "Example (from the repository root, after a stage-5 run):",
            "  vfio-workbench mutation-score step5-cleanup/target/pit-reports/mutations.xml \\",
            "      --survivors 'vfiowb\\.step5\\.drivers\\..*' --format markdown"})
final class MutationScoreCommand extends AbstractCommand {
    @Parameters(arity = "1..*", paramLabel = "MUTATIONS_XML", description = "PIT XML reports "
            + "(MODULE/target/pit-reports/mutations.xml), merged; no mutant may be in two.")
    List<Path> reports = new ArrayList<>();

    @Option(names = "--min", paramLabel = "PERCENT", description = "The goal: the least score "
            + "of each package in scope, 0 to 100 (default: 85).")
    String min = "85";

    @Option(names = "--scope", paramLabel = "REGEX", description = "The packages the goal covers, "
            + "a regular expression matching the whole package name (default: "
            + "${DEFAULT-VALUE}).")
    String scope = MutationScore.DEFAULT_SCOPE;

    @Option(names = "--equivalents", paramLabel = "FILE|none", description = "The list of "
            + "equivalent mutants (default: docs/mutation-equivalents.tsv under --sources); "
            + "'none' counts raw scores only.")
    String equivalents;

    @Option(names = "--sources", paramLabel = "DIR", description = "The repository root: mutated "
            + "lines are read from DIR/*/src/main/java/PACKAGE/FILE (default: the current "
            + "directory).")
    Path sources = Path.of(".");

    @Option(names = "--survivors", paramLabel = "REGEX", description = "Also list every "
            + "undetected mutant not listed as equivalent in the packages REGEX matches whole: "
            + "class, method, line, mutator, description and the line's text.")
    String survivors;

    @Mixin
    Options.TextJsonOrMarkdown format;

    @Override
    public Integer call() {
        Format f = format.get();
        BigDecimal goal = min(min);
        Pattern scopePattern = regex("--scope", scope);
        Pattern survivorPattern = survivors == null ? null : regex("--survivors", survivors);
        if (!Files.isDirectory(sources)) {
            throw new UserError("--sources " + Printable.of(sources.toString()) + ": not a directory");
        }
        List<PitReport.Report> read = new ArrayList<>();
        for (Path p : reports) {
            read.add(PitReport.read(p));
        }
        List<Mutant> mutants = MutationScore.merge(read);
        Path list = null;
        List<Equivalents.Entry> entries = List.of();
        if (!"none".equals(equivalents)) {
            list = equivalents == null ? sources.resolve("docs/mutation-equivalents.tsv")
                    : Path.of(equivalents);
            entries = Equivalents.read(list);
        }
        SourceLines lines = new SourceLines(sources);
        MutationScore.Result result = MutationScore.compute(mutants, entries, lines, scopePattern, goal);
        List<Mutant> left = survivorPattern == null ? null
                : MutationScore.survivors(mutants, result, survivorPattern);
        Report r = new Report(read, goal, list, entries.size(), result, left, lines);
        PrintWriter out = out();
        if (f == Format.JSON) {
            out.println(Json.pretty(json(r)));
        } else if (f == Format.MARKDOWN) {
            out.print(markdown(r));
        } else {
            text(r);
        }
        return result.passed() ? 0 : Workbench.CHECK_FAILED;
    }

    /** What the three forms print. */
    private record Report(List<PitReport.Report> files, BigDecimal min, Path list, int entries,
            MutationScore.Result result, List<Mutant> survivors, SourceLines lines) {
        String minText() {
            return min.stripTrailingZeros().toPlainString();
        }

        long inScope() {
            return result.packages().stream().filter(MutationScore.PackageScore::inScope).count();
        }
    }

    private static BigDecimal min(String text) {
        String t = text.strip();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        BigDecimal v = null;
        if (t.matches("[0-9]{1,3}(\\.[0-9]{1,6})?")) {
            v = new BigDecimal(t);
        }
        if (v == null || v.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new UserError("--min takes a percentage from 0 to 100, not '" + Printable.of(text)
                    + "'");
        }
        return v;
    }

    private static Pattern regex(String option, String text) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new UserError(option + ": not a regular expression: " + Printable.of(text) + " ("
                    + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "")
                    + ")");
        }
    }

    private void text(Report r) {
        PrintWriter out = out();
        MutationScore.Result res = r.result();
        int counted = res.packages().stream().mapToInt(MutationScore.PackageScore::generated).sum();
        out.println(style().bold("mutation score") + " of " + r.files().size() + " report(s), "
                + counted + " mutants counted; equivalents: " + (r.list() == null ? "none (raw scores)"
                        : Printable.of(r.list().toString()) + " (" + r.entries() + " entries, "
                                + res.equivalent().size() + " mutants)"));
        for (PitReport.Report f : r.files()) {
            out.println("  " + Printable.of(f.path().toString()) + (f.truncated()
                    ? "  " + style().note("truncated: read up to its last complete mutation ("
                            + f.mutants().size() + " mutants)") : ""));
        }
        out.println();
        int w = Math.max("package".length(), res.packages().stream()
                .mapToInt(p -> p.pkg().length()).max().orElse(0));
        out.println(String.format("%-" + w + "s %9s %8s %5s %8s %7s %6s %7s %7s", "package",
                "generated", "detected", "t/o", "survived", "no cov", "equiv", "raw", "score"));
        for (MutationScore.PackageScore p : res.packages()) {
            String verdict = !p.inScope() ? style().dim("(not in scope)")
                    : p.belowMin() ? style().fail("below " + r.minText() + " %") : "";
            out.println((String.format("%-" + w + "s %9d %8d %5d %8d %7d %6d %7s %7s", p.pkg(),
                    p.generated(), p.detected(), p.timedOut(), p.survived(), p.noCoverage(),
                    p.equivalent(), p.raw() + " %", p.score() + " %") + "  " + verdict).stripTrailing());
        }
        if (r.survivors() != null) {
            out.println();
            out.println(style().bold("survivors") + " not listed as equivalent in packages matching "
                    + Printable.of(survivors) + ": " + r.survivors().size());
            for (Mutant m : r.survivors()) {
                out.println("  " + Printable.of(m.mutatedClass() + "." + m.method()) + " line "
                        + m.line() + "  " + Printable.of(m.mutatorName()) + "  " + m.status() + ": "
                        + Printable.of(m.description()));
                String src = r.lines().line(m);
                out.println("      " + (src == null ? style().dim("(source not found)")
                        : Printable.of(src.strip())));
            }
        }
        if (!res.errors().isEmpty()) {
            out.println();
            out.println(style().fail("equivalents list: " + res.errors().size() + " error(s)"));
            for (String e : res.errors()) {
                out.println("  " + e);
            }
        }
        out.println();
        List<MutationScore.PackageScore> below = res.below();
        if (r.inScope() == 0) {
            out.println("no package of the reports is in the scope " + Printable.of(scope));
        } else if (below.isEmpty()) {
            out.println(style().pass("every package in scope (" + r.inScope() + ") reaches "
                    + r.minText() + " % over the non-equivalent"));
        } else {
            out.println(style().fail(below.size() + " of " + r.inScope() + " package(s) in scope "
                    + "below " + r.minText() + " %: " + below.stream()
                            .map(MutationScore.PackageScore::pkg).collect(Collectors.joining(", "))));
        }
    }

    /** The table to paste into docs/mutation.md, with what a reader of it must know below. */
    private String markdown(Report r) {
        MutationScore.Result res = r.result();
        StringBuilder sb = new StringBuilder();
        sb.append("| package | generated | detected | timed out | survived | no coverage "
                + "| equivalent | raw | score |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MutationScore.PackageScore p : res.packages()) {
            boolean bold = p.inScope() && !p.belowMin();
            String name = "`" + p.pkg() + "`";
            String score = p.score() + " %";
            sb.append("| ").append(bold ? "**" + name + "**" : name).append(" | ")
                    .append(p.generated()).append(" | ").append(p.detected()).append(" | ")
                    .append(p.timedOut()).append(" | ").append(p.survived()).append(" | ")
                    .append(p.noCoverage()).append(" | ").append(p.equivalent()).append(" | ")
                    .append(p.raw()).append(" % | ").append(bold ? "**" + score + "**" : score)
                    .append(" |\n");
        }
        sb.append("\nScore = detected / (generated - equivalent); packages in the scope (`")
                .append(scope).append("`) at or above ").append(r.minText())
                .append(" % in bold. Equivalents: ")
                .append(r.list() == null ? "none (raw scores)." : "`" + Printable.of(r.list().toString())
                        + "`, " + res.equivalent().size() + " mutants.")
                .append('\n');
        List<String> cut = r.files().stream().filter(PitReport.Report::truncated)
                .map(f -> "`" + Printable.of(f.path().toString()) + "`").toList();
        if (!cut.isEmpty()) {
            sb.append("\nTruncated reports, read up to their last complete mutation (partial): ")
                    .append(String.join(", ", cut)).append(".\n");
        }
        if (!res.errors().isEmpty()) {
            sb.append("\n**The equivalents list has ").append(res.errors().size())
                    .append(" error(s):**\n\n");
            for (String e : res.errors()) {
                sb.append("- ").append(e).append('\n');
            }
        }
        if (r.survivors() != null) {
            sb.append("\nSurvivors not listed as equivalent in packages matching `")
                    .append(Printable.of(survivors)).append("`: ").append(r.survivors().size())
                    .append("\n\n");
            for (Mutant m : r.survivors()) {
                String src = r.lines().line(m);
                sb.append("- ").append(code(m.mutatedClass() + "." + m.method())).append(" line ")
                        .append(m.line()).append(", ").append(code(m.mutatorName())).append(" (")
                        .append(m.status()).append("): ").append(Printable.of(m.description()))
                        .append(src == null ? "" : ": " + code(src.strip())).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code text} as inline code, with a longer fence when it holds a backtick. */
    private static String code(String text) {
        String t = Printable.of(text);
        return t.contains("`") ? "`` " + t + " ``" : "`" + t + "`";
    }

    private Json.Obj json(Report r) {
        MutationScore.Result res = r.result();
        List<Object> files = new ArrayList<>();
        for (PitReport.Report f : r.files()) {
            files.add(Json.obj().put("path", f.path().toString()).put("truncated", f.truncated()));
        }
        List<Object> packages = new ArrayList<>();
        for (MutationScore.PackageScore p : res.packages()) {
            packages.add(Json.obj().put("package", p.pkg()).put("generated", p.generated())
                    .put("detected", p.detected()).put("timedOut", p.timedOut())
                    .put("survived", p.survived()).put("noCoverage", p.noCoverage())
                    .put("equivalent", p.equivalent()).put("raw", p.raw()).put("score", p.score())
                    .put("inScope", p.inScope()).put("belowMin", p.belowMin()));
        }
        Json.Obj o = Json.obj().put("files", files).put("min", r.min()).put("scope", scope)
                .put("equivalents", r.list() == null ? null : r.list().toString())
                .put("packages", packages).put("errors", new ArrayList<>(res.errors()));
        if (r.survivors() != null) {
            List<Object> left = new ArrayList<>();
            for (Mutant m : r.survivors()) {
                left.add(Json.obj().put("class", m.mutatedClass()).put("method", m.method())
                        .put("line", m.line()).put("mutator", m.mutatorName())
                        .put("status", m.status().name()).put("description", m.description())
                        .put("source", r.lines().line(m)));
            }
            o.put("survivors", left);
        }
        return o;
    }
}
