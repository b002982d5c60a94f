package vfiowb.workbench.mbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code @Models} declarations of one Java source file, read from its text (the series is a
 * function of the trees, not of compiled classes): for each annotated type, method, constructor
 * or field, the kernel names it models ({@code drivers/vfio/pci/mlx5/main.c:mlx5vf_pci_ops}) and
 * the lines it spans, from its Javadoc (when one precedes it) to the end of its body, or to its
 * {@code ;} when it has none.
 *
 * <p>A small lexer skips comments, string, text-block and character literals, so braces inside
 * them do not count. A line belongs to the innermost declaration containing it: a change inside
 * an annotated method is that method's, not its annotated class's. Known imprecision: a field
 * whose initialiser is a bare lambda with a block body ({@code X = (a, b) -> { ... };}) ends at
 * the block's closing brace, which is on the {@code ;} line anyway.
 */
public final class ModelIndex {
    /** One annotated declaration: its kernel names and its lines, 1-based and inclusive. */
    public record Decl(List<String> models, int firstLine, int lastLine) {
        public Decl {
            models = List.copyOf(models);
            if (firstLine < 1 || lastLine < firstLine) {
                throw new IllegalArgumentException("lines " + firstLine + ".." + lastLine);
            }
        }

        boolean contains(int line) {
            return line >= firstLine && line <= lastLine;
        }

        int span() {
            return lastLine - firstLine;
        }
    }

    private final List<Decl> decls;

    private ModelIndex(List<Decl> decls) {
        this.decls = Collections.unmodifiableList(decls);
    }

    /** Every annotated declaration, in source order. */
    public List<Decl> decls() {
        return decls;
    }

    /** The innermost declaration containing {@code line} (1-based), or null. */
    public Decl at(int line) {
        Decl best = null;
        for (Decl d : decls) {
            if (d.contains(line) && (best == null || d.span() < best.span())) {
                best = d;
            }
        }
        return best;
    }

    /** The index of a Java source text; text that is not Java yields no declaration. */
    public static ModelIndex of(String source) {
        List<Token> tokens = lex(source);
        List<Decl> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind != Kind.AT || i + 2 >= tokens.size() || !tokens.get(i + 1).is("Models")
                    || !tokens.get(i + 2).is("(")) {
                continue;
            }
            List<String> models = new ArrayList<>();
            int j = i + 3;
            for (int depth = 1; j < tokens.size() && depth > 0; j++) {
                Token u = tokens.get(j);
                if (u.is("(")) {
                    depth++;
                } else if (u.is(")")) {
                    depth--;
                } else if (u.kind == Kind.STRING) {
                    models.add(u.text);
                }
            }
            int last = end(tokens, j);
            if (models.isEmpty() || last < 0) {
                continue;
            }
            int first = t.line;
            if (i > 0 && tokens.get(i - 1).kind == Kind.JAVADOC) {
                first = tokens.get(i - 1).line;
            }
            out.add(new Decl(models, first, last));
        }
        return new ModelIndex(out);
    }

    /**
     * The last line of the declaration whose modifiers start at token {@code from}: the closing
     * brace of its first top-level block, or its first top-level {@code ;}; -1 when the text
     * ends first.
     */
    private static int end(List<Token> tokens, int from) {
        int parens = 0;
        for (int j = from; j < tokens.size(); j++) {
            Token u = tokens.get(j);
            if (u.is("(")) {
                parens++;
            } else if (u.is(")")) {
                parens--;
            } else if (parens == 0 && u.is(";")) {
                return u.line;
            } else if (parens == 0 && u.is("{")) {
                int depth = 0;
                for (int k = j; k < tokens.size(); k++) {
                    Token v = tokens.get(k);
                    if (v.is("{")) {
                        depth++;
                    } else if (v.is("}") && --depth == 0) {
                        return v.line;
                    }
                }
                return -1;
            }
        }
        return -1;
    }

    private enum Kind {
        AT, WORD, PUNCT, STRING, JAVADOC
    }

    private record Token(Kind kind, String text, int line) {
        boolean is(String s) {
            return kind != Kind.STRING && kind != Kind.JAVADOC && text.equals(s);
        }
    }

    /**
     * The tokens that matter here: words, single punctuation characters, string literals (their
     * value, escapes kept as written except {@code \"}), {@code @} and Javadoc comments (their
     * first line); other comments, character literals and text blocks are skipped.
     */
    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                boolean javadoc = i + 2 < n && s.charAt(i + 2) == '*'
                        && !(i + 3 < n && s.charAt(i + 3) == '/');
                int start = line;
                int close = s.indexOf("*/", i + 2);
                int stop = close < 0 ? n : close + 2;
                for (int k = i; k < stop; k++) {
                    if (s.charAt(k) == '\n') {
                        line++;
                    }
                }
                if (javadoc) {
                    out.add(new Token(Kind.JAVADOC, "/**", start));
                }
                i = stop;
            } else if (c == '"' && s.startsWith("\"\"\"", i)) {
                int close = s.indexOf("\"\"\"", i + 3);
                int stop = close < 0 ? n : close + 3;
                for (int k = i; k < stop; k++) {
                    if (s.charAt(k) == '\n') {
                        line++;
                    }
                }
                i = stop;
            } else if (c == '"' || c == '\'') {
                StringBuilder lit = new StringBuilder();
                int k = i + 1;
                while (k < n && s.charAt(k) != c && s.charAt(k) != '\n') {
                    if (s.charAt(k) == '\\' && k + 1 < n) {
                        lit.append(s.charAt(k + 1) == c ? String.valueOf(c) : s.substring(k, k + 2));
                        k += 2;
                    } else {
                        lit.append(s.charAt(k++));
                    }
                }
                if (c == '"') {
                    out.add(new Token(Kind.STRING, lit.toString(), line));
                }
                i = Math.min(n, k + 1);
            } else if (c == '@') {
                out.add(new Token(Kind.AT, "@", line));
                i++;
            } else if (Character.isJavaIdentifierStart(c) || Character.isDigit(c)) {
                int k = i;
                while (k < n && Character.isJavaIdentifierPart(s.charAt(k))) {
                    k++;
                }
                out.add(new Token(Kind.WORD, s.substring(i, k), line));
                i = k;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), line));
                i++;
            }
        }
        return out;
    }
}
