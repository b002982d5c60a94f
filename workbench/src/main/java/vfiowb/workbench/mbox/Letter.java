package vfiowb.workbench.mbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cover letter under construction, built so that it cannot hold a typed number. Prose is
 * added as text that may contain no number; a number enters only as a {@link Fact}, a value a
 * workbench command printed (read from its JSON output); text the model says (a patch subject, a
 * declaration's reason) only as a quote of a command's output; transcripts only as excerpts of a
 * command's output, cut to whole lines. Each such piece is a {@link Span} of the finished text
 * naming its command, so a test can run every command again and compare; a paragraph ends with
 * the footnote numbers of the commands it cites, and the letter ends with the footnotes.
 */
public final class Letter {
    /** The width prose is wrapped at. */
    public static final int WIDTH = 72;

    /**
     * A number or a run of digits standing as a word: not part of an identifier ({@code mlx5},
     * {@code x86_64}, {@code v6.19}), decimal with grouping commas or {@code 0x} hex. A
     * {@code [n]} footnote reference is not one (it is checked as a reference).
     */
    public static final Pattern NUMBER = Pattern.compile(
            "(?<![A-Za-z0-9_.\\[])(0x[0-9A-Fa-f]+|[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?)(?![A-Za-z0-9_\\]])");

    /** How a fact's value is written. */
    public enum Render {
        /** A count, with grouping commas: {@code 524,288}. */
        COUNT,
        /** A size in bytes in the largest binary unit that divides it: {@code 1 TiB}, {@code 64 KiB}. */
        SIZE,
        /** The base-two logarithm of a power of two: {@code 40} of {@code 0x10000000000}. */
        LOG2;

        /** {@code value} written this way. */
        public String apply(long value) {
            switch (this) {
                case COUNT:
                    return String.format(Locale.ROOT, "%,d", value);
                case SIZE:
                    return size(value);
                default:
                    if (value <= 0 || Long.bitCount(value) != 1) {
                        throw new IllegalStateException("not a power of two: " + value);
                    }
                    return String.valueOf(Long.numberOfTrailingZeros(value));
            }
        }

        private static String size(long bytes) {
            String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
            int u = 0;
            long v = bytes;
            while (u + 1 < units.length && v != 0 && v % 1024 == 0) {
                v /= 1024;
                u++;
            }
            return String.format(Locale.ROOT, "%,d", v) + " " + units[u];
        }
    }

    /**
     * A number a command printed: the command's arguments, what the number is (for messages),
     * how to read it from the command's run, and how to write it.
     */
    public record Fact(List<String> args, String what, ToLongFunction<Evidence.Run> extract, Render render) {
        public Fact {
            args = List.copyOf(args);
        }

        /** The value as written, read from {@code run}. */
        public String value(Evidence.Run run) {
            return render.apply(extract.applyAsLong(run));
        }
    }

    /** A piece of the finished text that came from a command: {@code [start, end)}. */
    public sealed interface Span permits FactSpan, QuoteSpan, ExcerptSpan {
        int start();

        int end();

        List<String> args();
    }

    /** A fact's value at {@code [start, end)}. */
    public record FactSpan(int start, int end, Fact fact) implements Span {
        @Override
        public List<String> args() {
            return fact.args();
        }
    }

    /** Text the command prints (blanks may be re-wrapped) at {@code [start, end)}. */
    public record QuoteSpan(int start, int end, List<String> args, String quoted) implements Span {}

    /**
     * A transcript block at {@code [start, end)}: a {@code $ vfio-workbench ...} line, then
     * lines the command prints, in its order, each indented by {@link #EXCERPT_INDENT}.
     */
    public record ExcerptSpan(int start, int end, List<String> args, List<String> lines) implements Span {}

    /** Indentation of an excerpt's lines. */
    public static final String EXCERPT_INDENT = "    ";

    private final Evidence evidence;
    private final StringBuilder text = new StringBuilder();
    private final List<Span> spans = new ArrayList<>();
    private final Map<List<String>, Integer> footnotes = new LinkedHashMap<>();

    public Letter(Evidence evidence) {
        this.evidence = evidence;
    }

    /** The evidence the letter's numbers and transcripts come from. */
    public Evidence evidence() {
        return evidence;
    }

    /** A section heading, underlined. */
    public Letter heading(String title) {
        checkProse(title);
        blank();
        text.append(title).append('\n').append("-".repeat(title.length())).append("\n\n");
        return this;
    }

    /** A paragraph of prose. */
    public Para para() {
        return new Para("", "");
    }

    /** A list item: a paragraph after {@code "  - "}. */
    public Para item() {
        return new Para("  - ", "    ");
    }

    /**
     * Lines of what {@code vfio-workbench ARGS} printed (standard output, then standard error),
     * chosen by the caller, shown under the command as a transcript. Every line must be one the
     * command printed, in its order.
     */
    public Letter excerpt(List<String> args, List<String> lines) {
        Evidence.Run run = evidence.run(args);
        requireSubsequence(run, lines);
        blank();
        int start = text.length();
        text.append(EXCERPT_INDENT).append("$ ").append(run.display()).append('\n');
        for (String l : lines) {
            text.append(EXCERPT_INDENT).append(l).append('\n');
        }
        spans.add(new ExcerptSpan(start, text.length(), args, lines));
        text.append('\n');
        return this;
    }

    /** Whether {@code lines} are lines of {@code run}'s output, in order. */
    public static boolean isSubsequence(Evidence.Run run, List<String> lines) {
        List<String> all = run.lines();
        int at = 0;
        for (String l : lines) {
            while (at < all.size() && !all.get(at).equals(l)) {
                at++;
            }
            if (at == all.size()) {
                return false;
            }
            at++;
        }
        return true;
    }

    private static void requireSubsequence(Evidence.Run run, List<String> lines) {
        if (!isSubsequence(run, lines)) {
            throw new IllegalStateException("not lines " + run.display() + " prints, in order: " + lines);
        }
    }

    /** Plain text as it is (a table of words, a closing line); no number allowed. */
    public Letter raw(String s) {
        checkProse(s);
        text.append(s);
        return this;
    }

    private void blank() {
        int n = text.length();
        if (n > 0 && !(n >= 2 && text.charAt(n - 1) == '\n' && text.charAt(n - 2) == '\n')) {
            text.append(text.charAt(n - 1) == '\n' ? "\n" : "\n\n");
        }
    }

    /** The footnotes: each cited command, numbered as the paragraphs cite it. */
    public Letter footnotes(String title) {
        if (footnotes.isEmpty()) {
            return this;
        }
        heading(title);
        footnotes.forEach((args, n) -> text.append('[').append(n).append("] ")
                .append(Evidence.Run.display(args)).append('\n'));
        text.append('\n');
        return this;
    }

    /** The text so far. */
    public String text() {
        return text.toString();
    }

    /** The spans so far, in order. */
    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The cited commands by footnote number. */
    public Map<Integer, List<String>> footnoteCommands() {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        footnotes.forEach((a, n) -> out.put(n, a));
        return out;
    }

    private static void checkProse(String s) {
        Matcher m = NUMBER.matcher(s);
        if (m.find()) {
            throw new IllegalStateException("a typed number '" + m.group() + "' in the letter's prose: "
                    + s + " (numbers come from a command: use a fact)");
        }
    }

    private int footnote(List<String> args) {
        return footnotes.computeIfAbsent(List.copyOf(args), a -> footnotes.size() + 1);
    }

    /** One paragraph being written: text, facts and quotes, wrapped when it ends. */
    public final class Para {
        /** One unbreakable piece: its text, whether a blank precedes it, the span it belongs to. */
        private record Atom(String text, boolean spaceBefore, int span) {}

        /** What a quote span stands for until the paragraph is laid out. */
        private record Quoted(List<String> args, String text) {}

        private final String first;
        private final String rest;
        private final List<Atom> atoms = new ArrayList<>();
        private final List<Object> spanSources = new ArrayList<>();
        private final List<List<String>> cited = new ArrayList<>();
        private boolean pendingSpace;

        private Para(String first, String rest) {
            this.first = first;
            this.rest = rest;
        }

        /** Prose: words and punctuation, no number. */
        public Para text(String s) {
            checkProse(s);
            words(s, -1);
            return this;
        }

        /** A number {@code fact} reads from its command's output. */
        public Para fact(Fact fact) {
            String v = fact.value(evidence.run(fact.args()));
            spanSources.add(fact);
            atoms.add(new Atom(v, spaceBeforeValue(), spanSources.size() - 1));
            cite(fact.args());
            return this;
        }

        /** A number read from a command's JSON output. */
        public Para fact(List<String> args, String what, ToLongFunction<Evidence.Run> extract, Render render) {
            return fact(new Fact(args, what, extract, render));
        }

        /** Text {@code vfio-workbench ARGS} prints, word for word (blanks may wrap). */
        public Para quote(List<String> args, String s) {
            Evidence.Run run = evidence.run(args);
            String flat = s.strip().replaceAll("\\s+", " ");
            if (flat.isEmpty() || !run.lines().stream().anyMatch(l -> l.replaceAll("\\s+", " ").contains(flat))) {
                throw new IllegalStateException(run.display() + " does not print: " + s);
            }
            spanSources.add(new Quoted(List.copyOf(args), flat));
            pendingSpace = spaceBeforeValue();
            words(flat, spanSources.size() - 1);
            cite(args);
            return this;
        }

        /** Cites a command the paragraph relies on without quoting it. */
        public Para cite(List<String> args) {
            evidence.run(args);
            if (!cited.contains(args)) {
                cited.add(List.copyOf(args));
            }
            return this;
        }

        /**
         * A fact or quote stands apart from what precedes it, unless that is an opening bracket
         * or quote: {@code stage 4}, {@code (4 KiB)}.
         */
        private boolean spaceBeforeValue() {
            pendingSpace = false;
            if (atoms.isEmpty()) {
                return false;
            }
            String prev = atoms.get(atoms.size() - 1).text();
            return !(prev.endsWith("(") || prev.endsWith("[") || prev.endsWith("\""));
        }

        private boolean takeSpace() {
            boolean s = pendingSpace && !atoms.isEmpty();
            pendingSpace = false;
            return s;
        }

        private void words(String s, int span) {
            int i = 0;
            while (i < s.length()) {
                if (s.charAt(i) == ' ' || s.charAt(i) == '\n') {
                    pendingSpace = true;
                    i++;
                    continue;
                }
                int j = i;
                while (j < s.length() && s.charAt(j) != ' ' && s.charAt(j) != '\n') {
                    j++;
                }
                atoms.add(new Atom(s.substring(i, j), takeSpace(), span));
                i = j;
            }
            if (s.endsWith(" ")) {
                pendingSpace = true;
            }
        }

        /** Wraps the paragraph into the letter, with the footnote numbers of what it cites. */
        public Letter end() {
            StringBuilder refs = new StringBuilder();
            for (List<String> c : cited) {
                refs.append('[').append(footnote(c)).append(']');
            }
            if (refs.length() > 0) {
                atoms.add(new Atom(refs.toString(), true, -1));
            }
            blankBefore();
            List<List<Atom>> words = new ArrayList<>();
            for (Atom a : atoms) {
                if (a.spaceBefore() || words.isEmpty()) {
                    words.add(new ArrayList<>());
                }
                words.get(words.size() - 1).add(a);
            }
            int[] starts = new int[spanSources.size()];
            int[] ends = new int[spanSources.size()];
            java.util.Arrays.fill(starts, -1);
            int lineStart = text.length();
            text.append(first);
            boolean emptyLine = true;
            for (List<Atom> w : words) {
                int len = w.stream().mapToInt(a -> a.text().length()).sum();
                if (!emptyLine && text.length() - lineStart + 1 + len > WIDTH) {
                    text.append('\n');
                    lineStart = text.length();
                    text.append(rest);
                    emptyLine = true;
                }
                if (!emptyLine) {
                    text.append(' ');
                }
                for (Atom a : w) {
                    if (a.span() >= 0 && starts[a.span()] < 0) {
                        starts[a.span()] = text.length();
                    }
                    text.append(a.text());
                    if (a.span() >= 0) {
                        ends[a.span()] = text.length();
                    }
                }
                emptyLine = false;
            }
            text.append('\n');
            for (int i = 0; i < spanSources.size(); i++) {
                Object src = spanSources.get(i);
                if (src instanceof Fact) {
                    spans.add(new FactSpan(starts[i], ends[i], (Fact) src));
                } else {
                    Quoted q = (Quoted) src;
                    spans.add(new QuoteSpan(starts[i], ends[i], q.args(), q.text()));
                }
            }
            if (rest.isEmpty()) {
                text.append('\n');
            }
            return Letter.this;
        }

        private void blankBefore() {
            int n = text.length();
            boolean listItem = !first.isEmpty();
            if (n == 0 || listItem) {
                return;
            }
            if (!(n >= 2 && text.charAt(n - 1) == '\n' && text.charAt(n - 2) == '\n')) {
                text.append(text.charAt(n - 1) == '\n' ? "\n" : "\n\n");
            }
        }
    }
}
