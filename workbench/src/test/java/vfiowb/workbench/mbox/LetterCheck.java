package vfiowb.workbench.mbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a letter's text against the commands it cites, run afresh: every number in the text
 * lies in a fact, a quote or an excerpt; every fact's text is what its command prints now,
 * read and written as the fact says; every quote is text its command prints; every excerpt is
 * its command's line, then lines it prints, in order; every {@code [n]} names a footnote and
 * every footnote a command a paragraph cites.
 */
final class LetterCheck {
    private final Path root;
    private final Map<List<String>, Evidence.Run> fresh = new HashMap<>();

    LetterCheck(Path root) {
        this.root = root;
    }

    private Evidence.Run run(List<String> args) {
        return fresh.computeIfAbsent(args, a -> Evidence.runFresh(root, a));
    }

    /** The problems found; empty when the letter holds. */
    List<String> problems(String text, List<Letter.Span> spans, Map<Integer, List<String>> footnotes) {
        List<String> out = new ArrayList<>();
        int notes = text.indexOf("\n" + CoverLetter.FOOTNOTES + "\n");
        String prose = notes < 0 ? text : text.substring(0, notes);
        Matcher m = Letter.NUMBER.matcher(prose);
        while (m.find()) {
            int at = m.start();
            if (spans.stream().noneMatch(s -> s.start() <= at && m.end() <= s.end())) {
                int lineStart = prose.lastIndexOf('\n', at) + 1;
                int lineEnd = prose.indexOf('\n', at);
                out.add("a number no command printed: '" + m.group() + "' in: "
                        + prose.substring(lineStart, lineEnd < 0 ? prose.length() : lineEnd));
            }
        }
        for (Letter.Span s : spans) {
            String got = text.substring(s.start(), s.end());
            Evidence.Run r = run(s.args());
            if (s instanceof Letter.FactSpan) {
                Letter.Fact f = ((Letter.FactSpan) s).fact();
                String now = f.value(r);
                if (!got.equals(now)) {
                    out.add(f.what() + ": the letter says '" + got + "', " + r.display() + " prints " + now);
                }
            } else if (s instanceof Letter.QuoteSpan) {
                String flat = got.replaceAll("\\s+", " ").strip();
                if (!r.lines().stream().anyMatch(l -> l.replaceAll("\\s+", " ").contains(flat))) {
                    out.add(r.display() + " does not print the quoted '" + flat + "'");
                }
            } else {
                List<String> lines = new ArrayList<>(List.of(got.split("\n")));
                String head = lines.remove(0);
                if (!head.equals(Letter.EXCERPT_INDENT + "$ " + r.display())) {
                    out.add("an excerpt headed '" + head + "' is not of " + r.display());
                }
                List<String> body = new ArrayList<>();
                for (String l : lines) {
                    if (!l.startsWith(Letter.EXCERPT_INDENT)) {
                        out.add("an excerpt line not indented: " + l);
                    }
                    body.add(l.substring(Math.min(l.length(), Letter.EXCERPT_INDENT.length())));
                }
                if (!Letter.isSubsequence(r, body)) {
                    out.add("the excerpt of " + r.display() + " is not what it prints now: " + body);
                }
            }
        }
        Matcher ref = Pattern.compile("\\[(\\d+)\\]").matcher(prose);
        while (ref.find()) {
            if (!footnotes.containsKey(Integer.parseInt(ref.group(1)))
                    && spans.stream().noneMatch(s -> s.start() <= ref.start() && ref.end() <= s.end())) {
                out.add("[" + ref.group(1) + "] names no footnote");
            }
        }
        if (notes >= 0) {
            for (String l : text.substring(notes).split("\n")) {
                Matcher fm = Pattern.compile("\\[(\\d+)\\] (.*)").matcher(l);
                if (fm.matches()) {
                    List<String> args = footnotes.get(Integer.parseInt(fm.group(1)));
                    if (args == null || !Evidence.Run.display(args).equals(fm.group(2))) {
                        out.add("footnote " + l + " is not the command cited as [" + fm.group(1) + "]");
                    }
                }
            }
        }
        return out;
    }
}
