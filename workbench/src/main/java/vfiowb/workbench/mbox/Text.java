package vfiowb.workbench.mbox;

import java.util.ArrayList;
import java.util.List;

/** Plain-text helpers for mail bodies: word wrapping at a width, as a mail reader shows it. */
public final class Text {
    private Text() {}

    /**
     * {@code text} wrapped at {@code width} columns on blanks, the first line after {@code first},
     * the others after {@code rest}; a word longer than the width stands on its own line. Ends
     * with a newline; an empty text gives an empty string.
     */
    public static String wrap(String text, int width, String first, String rest) {
        List<String> words = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return wrapWords(words, width, first, rest);
    }

    /** Words (each kept whole, blanks inside allowed) wrapped as {@link #wrap} does. */
    public static String wrapWords(List<String> words, int width, String first, String rest) {
        if (words.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String w : words) {
            if (!empty && line.length() + 1 + w.length() > width) {
                sb.append(line).append('\n');
                line = new StringBuilder(rest);
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(w);
            empty = false;
        }
        return sb.append(line).append('\n').toString();
    }
}
