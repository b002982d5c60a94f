package vfiowb.workbench.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses expressions: literals (decimal, {@code 0x} hex, {@code _} separators, a {@code K},
 * {@code M}, {@code G} or {@code T} suffix for powers of 1024), names with field paths,
 * parentheses, unary {@code - ~}, and binary operators by C precedence, loosest first:
 * {@code |}, {@code ^}, {@code &}, {@code << >>}, {@code + -}.
 */
final class ExprParser {
    /** {@code left [cmp right]}; cmp null for a bare truth test. */
    record Condition(Expr left, String cmp, Expr right) {}

    private static final String[] OPS = {"==", "!=", "<=", ">=", "<<", ">>", "<", ">", "|", "^",
        "&", "+", "-", "~", "(", ")"};
    private static final String[][] LEVELS = {{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}};

    private final int line;
    private final String src;
    private final List<String> toks;
    private final Set<String> vars;
    private final Set<String> constants;
    private int pos;

    private ExprParser(int line, String src, Set<String> vars, Set<String> constants) {
        this.line = line;
        this.src = src.strip();
        this.vars = vars;
        this.constants = constants;
        this.toks = tokens();
    }

    static Expr parse(int line, String src, Set<String> vars, Set<String> constants) {
        ExprParser p = new ExprParser(line, src, vars, constants);
        if (p.toks.isEmpty()) {
            throw new ScriptError(line, "empty expression");
        }
        Expr e = p.expr(0);
        p.end();
        return e;
    }

    static Condition parseCondition(int line, String src, Set<String> vars, Set<String> constants) {
        ExprParser p = new ExprParser(line, src, vars, constants);
        if (p.toks.isEmpty()) {
            throw new ScriptError(line, "empty expression");
        }
        Expr l = p.expr(0);
        if (p.pos < p.toks.size() && List.of("==", "!=", "<=", ">=", "<", ">").contains(p.toks.get(p.pos))) {
            String cmp = p.toks.get(p.pos++);
            if (p.pos >= p.toks.size()) {
                throw new ScriptError(line, "nothing after '" + cmp + "'");
            }
            Expr r = p.expr(0);
            p.end();
            return new Condition(l, cmp, r);
        }
        p.end();
        return new Condition(l, null, null);
    }

    private void end() {
        if (pos < toks.size()) {
            throw new ScriptError(line, "unexpected '" + toks.get(pos) + "' in '" + src + "'");
        }
    }

    private List<String> tokens() {
        List<String> out = new ArrayList<>();
        int i = 0;
        outer:
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            for (String op : OPS) {
                if (src.startsWith(op, i)) {
                    out.add(op);
                    i += op.length();
                    continue outer;
                }
            }
            if (c == '"') {
                int j = src.indexOf('"', i + 1);
                if (j < 0) {
                    throw new ScriptError(line, "unterminated string in '" + src + "'");
                }
                out.add(src.substring(i, j + 1));
                i = j + 1;
                continue;
            }
            if (Character.isLetterOrDigit(c) || c == '_') {
                int j = i;
                while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j))
                        || src.charAt(j) == '_' || src.charAt(j) == '.')) {
                    j++;
                }
                out.add(src.substring(i, j));
                i = j;
                continue;
            }
            throw new ScriptError(line, "unexpected character '" + c + "' in '" + src + "'");
        }
        return out;
    }

    private Expr expr(int level) {
        if (level == LEVELS.length) {
            return unary();
        }
        Expr e = expr(level + 1);
        while (pos < toks.size() && List.of(LEVELS[level]).contains(toks.get(pos))) {
            String op = toks.get(pos++);
            e = new Expr.Binary(op, e, expr(level + 1));
        }
        return e;
    }

    private Expr unary() {
        if (pos >= toks.size()) {
            throw new ScriptError(line, "expression ends too early: '" + src + "'");
        }
        String t = toks.get(pos);
        if (t.equals("-") || t.equals("~")) {
            pos++;
            return new Expr.Unary(t.charAt(0), unary());
        }
        if (t.equals("(")) {
            pos++;
            Expr e = expr(0);
            if (pos >= toks.size() || !toks.get(pos).equals(")")) {
                throw new ScriptError(line, "missing ')' in '" + src + "'");
            }
            pos++;
            return e;
        }
        pos++;
        if (t.startsWith("\"")) {
            return new Expr.Str(t.substring(1, t.length() - 1));
        }
        if (Character.isDigit(t.charAt(0))) {
            return new Expr.Num(number(t));
        }
        if (!Script.isIdentifier(t)) {
            throw new ScriptError(line, "unexpected '" + t + "' in '" + src + "'");
        }
        String[] parts = t.split("\\.");
        String name = parts[0];
        if (!vars.contains(name) && !constants.contains(name)) {
            throw new ScriptError(line, "unknown name '" + name + "' (not assigned before this line"
                    + " and not a constant)");
        }
        if (parts.length > 1 && !vars.contains(name)) {
            throw new ScriptError(line, "'" + name + "' is a constant and has no fields");
        }
        return new Expr.Name(name, List.of(parts).subList(1, parts.length));
    }

    private long number(String t) {
        String s = t.replace("_", "");
        int shift = 0;
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        if (!hex || last > 'F') {
            int k = "KMGT".indexOf(last);
            if (k >= 0) {
                shift = 10 * (k + 1);
                s = s.substring(0, s.length() - 1);
            }
        }
        long v;
        try {
            v = hex ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new ScriptError(line, "bad number '" + t + "'");
        }
        if (shift > 0 && Long.numberOfLeadingZeros(v) < shift) {
            throw new ScriptError(line, "number '" + t + "' does not fit 64 bits");
        }
        return v << shift;
    }
}
