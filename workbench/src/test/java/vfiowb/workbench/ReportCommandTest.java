package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import vfiowb.common.oracle.OracleReplay;
import vfiowb.common.oracle.OracleTranscript;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.capacity.LayoutSvgTestAccess;

/**
 * {@code report}: one page, well-formed, loading nothing, holding the numbers the other
 * commands print. The page is rendered once, for two devices on x86_64.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCommandTest {
    private static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String[] DEVICES = {"--device", "nic-vf", "--device", "cxl-2t"};

    @TempDir
    static Path dir;
    private Cli.Result run;
    private String html;
    private Document page;

    @BeforeAll
    void render() throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "--out", dir.resolve("out").toString(),
                "--arch", "x86_64"));
        args.addAll(List.of(DEVICES));
        run = Cli.run(args.toArray(String[]::new));
        Path file = dir.resolve("out/report.html");
        html = Files.exists(file) ? Files.readString(file) : "";
        page = html.isEmpty() ? null : parse(html);
    }

    /** As an XML parser sees it, refusing to load anything the page names. */
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private Element section(String id) {
        NodeList s = page.getElementsByTagNameNS(XHTML, "section");
        for (int i = 0; i < s.getLength(); i++) {
            Element e = (Element) s.item(i);
            if (e.getAttribute("id").equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no section " + id);
    }

    /** Every table row under {@code e}, as its cells' text. */
    private static List<List<String>> rows(Element e) {
        List<List<String>> out = new ArrayList<>();
        NodeList trs = e.getElementsByTagNameNS(XHTML, "tr");
        for (int i = 0; i < trs.getLength(); i++) {
            List<String> cells = new ArrayList<>();
            for (Node c = trs.item(i).getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element) {
                    cells.add(c.getTextContent());
                }
            }
            out.add(cells);
        }
        return out;
    }

    private static String squash(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    @Nested
    class Page {
        @Test
        void itIsWrittenAndSaysWhere() {
            assertEquals(0, run.code(), run.err());
            assertEquals("wrote " + dir.resolve("out/report.html") + "\n", run.out());
            assertEquals("", run.err());
        }

        @Test
        void itIsWellFormedXhtmlWithEverySection() {
            Element root = page.getDocumentElement();
            assertEquals("html", root.getLocalName());
            assertEquals(XHTML, root.getNamespaceURI());
            for (String id : List.of("stages", "rules", "conformance", "replay", "layouts", "capacity",
                    "wc", "series")) {
                section(id);
            }
        }

        @Test
        void itLoadsNothingAndRunsNothing() {
            Element root = page.getDocumentElement();
            for (String tag : List.of("script", "link", "img", "iframe", "object", "embed", "image",
                    "foreignObject", "use", "base", "form", "audio", "video", "source")) {
                assertEquals(0, root.getElementsByTagNameNS("*", tag).getLength(), tag);
            }
            Set<String> ids = new HashSet<>();
            NodeList all = root.getElementsByTagNameNS("*", "*");
            for (int i = 0; i < all.getLength(); i++) {
                String id = ((Element) all.item(i)).getAttribute("id");
                if (!id.isEmpty()) {
                    assertTrue(ids.add(id), "id " + id + " twice");
                }
            }
            for (int i = 0; i < all.getLength(); i++) {
                NamedNodeMap attrs = all.item(i).getAttributes();
                for (int j = 0; j < attrs.getLength(); j++) {
                    String name = attrs.item(j).getNodeName();
                    String v = attrs.item(j).getNodeValue();
                    if (name.equals("xmlns")) {
                        continue;
                    }
                    assertFalse(v.contains("//") || name.startsWith("on") || v.contains("@import"),
                            name + "=" + v);
                    if (name.equals("href")) {
                        assertTrue(v.startsWith("#") && ids.contains(v.substring(1)), v);
                    }
                    if (v.contains("url(")) {
                        assertTrue(v.matches("url\\(#[A-Za-z0-9-]+\\)") && ids.contains(
                                v.substring(5, v.length() - 1)), v);
                    }
                }
            }
            String css = root.getElementsByTagNameNS(XHTML, "style").item(0).getTextContent();
            assertFalse(css.contains("url(") || css.contains("@import"), css);
        }
    }

    @Nested
    class Numbers {
        @Test
        void stagesAndTheRulesEachIntroduces() {
            List<List<String>> rows = rows(section("stages"));
            for (Stage s : Stages.all()) {
                assertTrue(rows.stream().anyMatch(r -> r.get(0).equals(String.valueOf(s.number()))
                        && r.get(1).equals(s.module())), s.module());
            }
            String text = section("stages").getTextContent();
            assertTrue(text.contains("region-info-core-only PASS"), text);
        }

        @Test
        void rulesTeethAreTheViolationsRulesAgainstTheStageBeforeFinds() {
            Cli.Result r = Cli.run("rules", "--stage", "2", "--against", "1", "--format", "json");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<?, ?>) ((List<?>) r.json()
                    .get("evaluations")).get(0)).get("rules");
            Map<String, Object> rule = rules.stream().filter(x -> x.get("id").equals("region-info-core-only"))
                    .findFirst().orElseThrow();
            int n = ((List<?>) rule.get("violations")).size();
            int units = ((List<?>) rule.get("units")).size();
            List<String> row = rows(section("rules")).stream()
                    .filter(x -> x.get(0).equals("region-info-core-only")).findFirst().orElseThrow();
            assertTrue(row.get(row.size() - 1).startsWith(n + " violations on stage 1 in " + units + " units: "),
                    row.toString());
            assertTrue(n > 0);
        }

        @Test
        void theConformanceMatrixIsWhatConformPrints() {
            List<String> args = new ArrayList<>(List.of("conform", "--arch", "x86_64"));
            args.addAll(List.of(DEVICES));
            Cli.Result c = Cli.run(args.toArray(String[]::new));
            List<List<String>> rows = rows(section("conformance"));
            int checked = 0;
            for (String line : c.out().split("\n")) {
                if (!line.matches("  (profile|client:\\S+|[A-Z]+-\\d+) .*")) {
                    continue;
                }
                String key = line.strip().split("\\s+")[0];
                List<String> row = rows.stream().filter(x -> x.get(0).equals(key)).findFirst()
                        .orElseThrow(() -> new AssertionError(key));
                assertEquals(squash(line), squash(String.join(" ", row)), key);
                checked++;
            }
            assertTrue(checked > 20, c.out());
        }

        @Test
        void theReplayCountsAreWhatTheReplayFinds() {
            Stage first = Stages.all().get(0);
            OracleTranscript t = OracleTranscript.all().get(0);
            OracleReplay.Result r = OracleReplay.run(first, t);
            List<String> row = rows(section("replay")).stream()
                    .filter(x -> x.get(0).equals(OracleTranscript.fileName(t.device()))).findFirst()
                    .orElseThrow();
            assertEquals(r.replayedCount() + " replayed, " + r.differences().size() + " differences",
                    row.get(1));
        }

        @Test
        void theLayoutPicturesHoldEveryLabelLayoutDraws() throws Exception {
            Path svg = dir.resolve("nic.svg");
            Cli.Result l = Cli.run("layout", "--stage", "all", "--device", "nic-vf", "--svg", svg.toString());
            assertEquals(0, l.code(), l.err());
            List<String> want = LayoutSvgTestAccess.texts(LayoutSvgTestAccess.parse(Files.readString(svg)));
            List<String> have = new ArrayList<>();
            NodeList figs = section("layouts").getElementsByTagNameNS(SVG, "svg");
            assertEquals(2, figs.getLength(), "one picture per device");
            NodeList texts = ((Element) figs.item(0)).getElementsByTagNameNS(SVG, "text");
            for (int i = 0; i < texts.getLength(); i++) {
                have.add(texts.item(i).getTextContent());
            }
            for (String w : want) {
                assertTrue(have.remove(w), "report lacks layout's '" + w + "'");
            }
        }

        @Test
        void theCapacityTableIsWhatCapacityPrints() {
            List<String> args = new ArrayList<>(List.of("capacity", "--arch", "x86_64"));
            args.addAll(List.of(DEVICES));
            Cli.Result c = Cli.run(args.toArray(String[]::new));
            assertEquals(0, c.code(), c.err());
            Set<String> report = new HashSet<>();
            for (List<String> row : rows(section("capacity"))) {
                report.add(squash(String.join(" ", row.subList(1, row.size()))));
            }
            int checked = 0;
            for (String line : c.out().split("\n")) {
                if (line.startsWith("  ") && !line.startsWith("  policy ") && !line.contains(": ")) {
                    assertTrue(report.contains(squash(line)), "report lacks capacity's '" + line + "'");
                    checked++;
                }
            }
            assertTrue(checked > 20, c.out());
            String notes = section("capacity").getTextContent();
            assertTrue(notes.contains("stage 2 default cxl-2t BAR2: read/write 1 TiB of 2 TiB (EINVAL at "
                    + "0x10000000000)"), notes);
        }

        @Test
        void theWriteCombiningTableIsWhatWcComparePrints() {
            Cli.Result c = Cli.run("wc", "--compare", "--format", "markdown");
            assertEquals(0, c.code(), c.err());
            List<List<String>> printed = new ArrayList<>();
            for (String line : c.out().split("\n")) {
                if (line.startsWith("| ") && !line.startsWith("| |")) {
                    List<String> cells = new ArrayList<>();
                    for (String cell : line.substring(2, line.length() - 2).split(" \\| ", -1)) {
                        cells.add(cell.replace("\\|", "|"));
                    }
                    printed.add(cells);
                }
            }
            List<List<String>> report = rows(section("wc"));
            List<String> head = report.get(0);
            List<String> variants = Arrays.stream(c.out().split("\n")).filter(l -> l.startsWith("| |"))
                    .findFirst().map(l -> Arrays.stream(l.split("`")).filter(x -> x.startsWith("wc-")).toList())
                    .orElseThrow();
            assertEquals(variants.size() + 1, head.size(), head.toString());
            for (int i = 0; i < variants.size(); i++) {
                assertTrue(head.get(i + 1).startsWith(variants.get(i) + ": "), head.get(i + 1));
            }
            assertEquals(printed, report.subList(1, report.size()));
            assertTrue(printed.size() >= 10, c.out());
        }

        @Test
        void theSeriesDiffstatsAreWhatGitCounts() throws Exception {
            Path root = Path.of(System.getProperty("vfiowb.repo.root", "..")).toAbsolutePath().normalize();
            Path patch = root.resolve("series/step2-to-step3/0001-core.patch");
            Process git = new ProcessBuilder("git", "apply", "--numstat", patch.toString())
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String numstat = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, git.waitFor(), numstat);
            int ins = 0;
            int del = 0;
            int files = 0;
            for (String l : numstat.split("\n")) {
                String[] f = l.split("\t");
                ins += Integer.parseInt(f[0]);
                del += Integer.parseInt(f[1]);
                files++;
            }
            List<String> row = rows(section("series")).stream()
                    .filter(x -> x.get(0).equals("0001-core.patch") && !x.get(1).isEmpty()
                            && Files.exists(patch) && patchSubject(patch).equals(x.get(1)))
                    .findFirst().orElseThrow(() -> new AssertionError(numstat));
            assertEquals(List.of(String.valueOf(files), String.valueOf(ins), String.valueOf(del)),
                    row.subList(2, 5));
        }

        private String patchSubject(Path p) {
            try {
                return Files.readAllLines(p).get(0).replaceFirst("^Subject: \\[PATCH[^]]*\\]\\s*", "");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    class UsageErrors {
        @Test
        void withoutOutItIsOneLineAndExitTwo() {
            Cli.Result r = Cli.run("report");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().contains("--out"), r.err());
        }

        @Test
        void badFlagsAreOneLineExitTwoAndWriteNothing(@TempDir Path tmp) throws IOException {
            Path file = Files.writeString(tmp.resolve("a-file"), "x");
            Path fresh = tmp.resolve("fresh");
            for (String[] args : List.of(
                    new String[] {"report", "--out", fresh.toString(), "--arch", "sparc"},
                    new String[] {"report", "--out", fresh.toString(), "--device", "nosuch"},
                    new String[] {"report", "--out", fresh.toString(), "--device", "nic-vf", "--device", "nic-vf"},
                    new String[] {"report", "--out", fresh.toString(), "--repo", tmp.toString()},
                    new String[] {"report", "--out", file.toString()})) {
                Cli.Result r = Cli.run(args);
                assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out());
                assertTrue(r.oneErrorLine(), r.err());
                assertEquals("", r.out());
                assertFalse(Files.exists(fresh), String.join(" ", args));
            }
            assertEquals("x", Files.readString(file));
        }
    }
}
