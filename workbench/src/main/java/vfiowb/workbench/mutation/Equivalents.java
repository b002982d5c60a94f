package vfiowb.workbench.mutation;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import vfiowb.workbench.UserError;
import vfiowb.workbench.io.Printable;

/**
 * The reviewed list of equivalent mutants, {@code docs/mutation-equivalents.tsv}: mutants no
 * execution can tell from the original (a removed call to an empty function, a check a caller
 * always passes), which the textbook score leaves out of its denominator.
 *
 * <p>One entry per line, five TAB-separated fields: {@code class}, {@code method},
 * {@code mutator}, {@code line-contains}, {@code why}. The class's stage package segment may be
 * written {@code stepN}, matching every stage and the write-combining variants, whose packages
 * ({@code wcalias}, {@code wccookie}, {@code wcdmabuf}) copy stage 5's layout: the same code in
 * five modules is one entry. The mutated line is named by text it contains, not by number, since
 * line numbers move from stage to stage and the text does not. Lines starting with {@code #} and
 * blank lines are ignored. Every field is required, the reason included: an entry nobody can
 * explain is not reviewed.
 */
public final class Equivalents {
    /** What {@code stepN} stands for in a class name: any stage, or a variant of stage 5. */
    static final String STAGE_SEGMENT = "(?:step[0-9]+|wcalias|wccookie|wcdmabuf)";

    private static final Pattern CLASS = Pattern.compile(
            "[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    private static final Pattern MUTATOR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * One entry.
     *
     * @param file the list's name, for messages
     * @param line the entry's line in the list, 1-based
     * @param className the class as written, {@code stepN} and all
     * @param method PIT's {@code mutatedMethod}
     * @param mutator the mutator's last name segment
     * @param lineContains text the mutated source line contains
     * @param why the reviewer's reason
     */
    public record Entry(String file, int line, String className, String method, String mutator,
            String lineContains, String why) {
        /** Whether {@code binaryName} is this entry's class, {@code stepN} standing for any stage. */
        public boolean matchesClass(String binaryName) {
            return classPattern(className).matcher(binaryName).matches();
        }

        /** {@code docs/mutation-equivalents.tsv:12}: where the entry is written. */
        public String where() {
            return file + ":" + line;
        }
    }

    private Equivalents() {}

    /** A stage range segment, {@code step4-5}: stages 4 to 5. */
    private static final Pattern RANGE = Pattern.compile("step([0-9])-([0-9])");

    /** The variants' package segments: they copy stage 5, so a range reaching 5 covers them. */
    private static final String VARIANTS = "wcalias|wccookie|wcdmabuf";

    /**
     * The class name as a pattern: each segment literal, {@code stepN} any stage or variant,
     * {@code stepA-B} stages A to B (and the variants when B is 5: code a stage-4 patch leaves
     * dead stays dead in the variants built on stage 5). Code that exists at every stage but is
     * equivalent only at some (the stage-4 conversions leave a check dead) needs the range:
     * {@code stepN} would be an error wherever the check is still live and a test kills it.
     */
    static Pattern classPattern(String className) {
        return Pattern.compile(Pattern.compile("\\.").splitAsStream(className)
                .map(Equivalents::segmentPattern)
                .collect(Collectors.joining("\\.")));
    }

    private static String segmentPattern(String s) {
        if (s.equals("stepN")) {
            return STAGE_SEGMENT;
        }
        var m = RANGE.matcher(s);
        if (m.matches()) {
            int from = Integer.parseInt(m.group(1));
            int to = Integer.parseInt(m.group(2));
            StringBuilder alt = new StringBuilder("(?:step[" + from + "-" + to + "]");
            if (to == 5) {
                alt.append("|").append(VARIANTS);
            }
            return alt.append(")").toString();
        }
        return Pattern.quote(s);
    }

    /** Reads the list; a missing file or a malformed line is a {@link UserError} naming it. */
    public static List<Entry> read(Path file) {
        String name = Printable.of(file.toString());
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(name + ": no such file (--equivalents none counts raw scores only)");
        } catch (CharacterCodingException e) {
            throw new UserError(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UserError(name + ": cannot read: " + Printable.of(e.getMessage()));
        }
        return parse(name, lines);
    }

    /** Parses the list's {@code lines}, {@code name} being how messages call it. */
    public static List<Entry> parse(String name, List<String> lines) {
        List<Entry> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank() || l.strip().startsWith("#")) {
                continue;
            }
            int n = i + 1;
            String where = name + ":" + n + ": ";
            String[] f = l.split("\t", -1);
            if (f.length != 5) {
                throw new UserError(where + "expected 5 TAB-separated fields (class, method, "
                        + "mutator, line-contains, why), found " + f.length);
            }
            for (int k = 0; k < f.length; k++) {
                f[k] = f[k].strip();
            }
            String[] names = {"class", "method", "mutator", "line-contains", "why"};
            for (int k = 0; k < f.length; k++) {
                if (f[k].isEmpty()) {
                    throw new UserError(where + "the " + names[k] + " field is empty");
                }
            }
            if (!CLASS.matcher(f[0].replaceAll("\\.step([0-9])-([0-9])\\.", ".step$1_$2."))
                    .matches()) {
                throw new UserError(where + "class '" + Printable.of(f[0]) + "' is not a binary "
                        + "class name (e.g. vfiowb.stepN.drivers.mlx5.Mlx5VfioPciDevice)");
            }
            var range = Pattern.compile("\\.step([0-9])-([0-9])\\.").matcher(f[0]);
            if (range.find() && range.group(1).compareTo(range.group(2)) > 0) {
                throw new UserError(where + "stage range step" + range.group(1) + "-"
                        + range.group(2) + " is empty");
            }
            if (f[1].chars().anyMatch(Character::isWhitespace)) {
                throw new UserError(where + "method '" + Printable.of(f[1]) + "' is not a method "
                        + "name");
            }
            if (!MUTATOR.matcher(f[2]).matches()) {
                throw new UserError(where + "mutator '" + Printable.of(f[2]) + "' is not the last "
                        + "segment of a PIT mutator name (e.g. VoidMethodCallMutator)");
            }
            String key = String.join("\t", f[0], f[1], f[2], f[3]);
            Integer before = seen.putIfAbsent(key, n);
            if (before != null) {
                throw new UserError(where + "the same class, method, mutator and line text as line "
                        + before);
            }
            out.add(new Entry(name, n, f[0], f[1], f[2], f[3], f[4]));
        }
        return out;
    }
}
