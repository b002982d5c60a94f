package vfiowb.workbench.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a stage says about itself in its {@code StepN} class, read from the normalised source
 * rather than from compiled classes, so that {@code series/} stays a function of the trees: the
 * string literals of {@code title()} and {@code patchSubjects()} (adjacent literals joined by
 * {@code +} form one string). A stage whose class spells them otherwise has no subjects here, and
 * its patches get generated subjects.
 */
public record StageMetadata(String title, List<String> patchSubjects) {
    /** The path of the stage class in a normalised tree. */
    public static final String STAGE_CLASS = "src/main/java/vfiowb/stepN/StepN.java";

    /** The metadata in a normalised tree; empty title and subjects when the class is absent. */
    public static StageMetadata of(SourceTree normalised) {
        String src = normalised.get(STAGE_CLASS);
        if (src == null) {
            return new StageMetadata("", List.of());
        }
        List<String> title = literals(src, "title()");
        return new StageMetadata(title.isEmpty() ? "" : title.get(0), literals(src, "patchSubjects()"));
    }

    /** The string values in the body of the method declared as {@code name}, in order. */
    static List<String> literals(String src, String name) {
        List<String> out = new ArrayList<>();
        Optional<Integer> at = body(src, name);
        if (at.isEmpty()) {
            return out;
        }
        int depth = 0;
        StringBuilder current = null;
        for (int i = at.get(); i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '"') {
                StringBuilder lit = new StringBuilder();
                for (i++; i < src.length() && src.charAt(i) != '"'; i++) {
                    char d = src.charAt(i);
                    if (d == '\\' && i + 1 < src.length()) {
                        char e = src.charAt(++i);
                        lit.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                    } else {
                        lit.append(d);
                    }
                }
                current = current == null ? lit : current.append(lit);
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth == 0) {
                    break;
                }
            } else if (c == ',' || c == ';' || c == ')') {
                if (current != null) {
                    out.add(current.toString());
                    current = null;
                }
            }
        }
        return out;
    }

    private static Optional<Integer> body(String src, String name) {
        int from = 0;
        while (true) {
            int i = src.indexOf(" " + name, from);
            if (i < 0) {
                return Optional.empty();
            }
            int j = i + 1 + name.length();
            while (j < src.length() && Character.isWhitespace(src.charAt(j))) {
                j++;
            }
            if (j < src.length() && src.charAt(j) == '{') {
                return Optional.of(j);
            }
            from = j;
        }
    }
}
