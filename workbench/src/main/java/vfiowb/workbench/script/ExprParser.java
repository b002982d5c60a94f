package vfiowb.workbench.script;

import java.util.ArrayList;
import java.util.List;
import vfiowb.workbench.io.InputLimits;

/**
 * Parses expressions: literals (decimal, {@code 0x} hex, {@code _} separators, a {@code K},
 * {@code M}, {@code G} or {@code T} suffix for powers of 1024), names with field paths,
 * parentheses, unary {@code - ~}, and binary operators by C precedence, loosest first:
 * {@code |}, {@code ^}, {@code &}, {@code << >>}, {@code + -}.
 *
 * <p>Chains of one precedence level are parsed in a loop, so a sum of any length is fine;
 * parentheses and unary operators recurse, and more than
 * {@link InputLimits#MAX_NESTING} of them nested is refused, so no input can exhaust the stack.
 * Names are checked by the caller ({@link Scope}), which knows the variables.
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
    private int pos;
    private int depth;

    private ExprParser(int line, String src) {
        this.line = line;
        this.src = src.strip();
        this.toks = tokens();
    }

    static Expr parse(int line, String src) {
        ExprParser p = new ExprParser(line, src);
        if (p.toks.isEmpty()) {
            throw new ScriptError(line, "empty expression");
        }
        Expr e = p.expr(0);
        p.end();
        return e;
    }

    static Condition parseCondition(int line, String src) {
        ExprParser p = new ExprParser(line, src);
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
            throw new ScriptError(line, "unexpected '" + Script.excerpt(toks.get(pos)) + "' in '" + shown() + "'");
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
                    throw new ScriptError(line, "unterminated string in '" + shown() + "'");
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
            throw new ScriptError(line, "unexpected character '" + c + "' in '" + shown() + "'");
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
            throw new ScriptError(line, "expression ends too early: '" + shown() + "'");
        }
        String t = toks.get(pos);
        if (t.equals("-") || t.equals("~")) {
            pos++;
            enter();
            Expr e = new Expr.Unary(t.charAt(0), unary());
            depth--;
            return e;
        }
        if (t.equals("(")) {
            pos++;
            enter();
            Expr e = expr(0);
            if (pos >= toks.size() || !toks.get(pos).equals(")")) {
                throw new ScriptError(line, "missing ')' in '" + shown() + "'");
            }
            pos++;
            depth--;
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
            throw new ScriptError(line, "unexpected '" + Script.excerpt(t) + "' in '" + shown() + "'");
        }
        String[] parts = t.split("\\.");
        return new Expr.Name(parts[0], List.of(parts).subList(1, parts.length));
    }

    /** The expression for a message: long ones cut, so an error never echoes a huge line. */
    private String shown() {
        return Script.excerpt(src);
    }

    private void enter() {
        if (++depth > InputLimits.MAX_NESTING) {
            throw new ScriptError(line, "expression nested deeper than " + InputLimits.MAX_NESTING
                    + " levels of parentheses and unary operators");
        }
    }

    private long number(String t) {
        if (t.length() > InputLimits.MAX_NUMBER_CHARS) {
            throw new ScriptError(line, "number longer than " + InputLimits.MAX_NUMBER_CHARS
                    + " characters");
        }
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
