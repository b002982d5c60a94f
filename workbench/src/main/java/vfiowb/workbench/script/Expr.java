package vfiowb.workbench.script;

import java.util.List;

/**
 * An integer expression of the scenario language: 64-bit two's complement arithmetic (unsigned
 * where it matters: comparisons and {@code >>}), C precedence.
 */
public sealed interface Expr permits Expr.Num, Expr.Str, Expr.Name, Expr.Unary, Expr.Binary {
    /** A literal. */
    record Num(long value) implements Expr {}

    /** A quoted string, compared only by {@code expect == / !=} with a text field ({@code pgprot}). */
    record Str(String value) implements Expr {}

    /** A variable with an optional field path ({@code r.cap.SPARSE_MMAP.nr_areas}), or a constant. */
    record Name(String name, List<String> path) implements Expr {}

    /** {@code -x} or {@code ~x}. */
    record Unary(char op, Expr operand) implements Expr {}

    /** {@code a op b} with op one of {@code + - << >> & | ^}. */
    record Binary(String op, Expr left, Expr right) implements Expr {}

    /**
     * The source text, normalised: a run of one operator in one pair of parentheses
     * ({@code (a + b + c)}), every other binary operation in its own. Left operands are
     * followed without recursion, so a sum of any length shows; the parser bounds the rest of
     * the nesting ({@link vfiowb.workbench.io.InputLimits#MAX_NESTING}).
     */
    static String show(Expr e) {
        java.util.ArrayDeque<Binary> spine = new java.util.ArrayDeque<>();
        Expr at = e;
        while (at instanceof Binary) {
            spine.push((Binary) at);
            at = ((Binary) at).left();
        }
        StringBuilder body = new StringBuilder(leaf(at));
        int open = 0;
        String prev = null;
        while (!spine.isEmpty()) {
            Binary b = spine.pop();
            if (prev != null && !prev.equals(b.op())) {
                body.append(')');
                open++;
            }
            body.append(' ').append(b.op()).append(' ').append(show(b.right()));
            prev = b.op();
        }
        if (prev == null) {
            return body.toString();
        }
        return "(".repeat(open + 1) + body + ")";
    }

    private static String leaf(Expr e) {
        if (e instanceof Num) {
            long v = ((Num) e).value();
            return v >= 0 && v < 10 ? String.valueOf(v) : "0x" + Long.toHexString(v);
        }
        if (e instanceof Str) {
            return "\"" + ((Str) e).value() + "\"";
        }
        if (e instanceof Name) {
            Name n = (Name) e;
            return n.path().isEmpty() ? n.name() : n.name() + "." + String.join(".", n.path());
        }
        return ((Unary) e).op() + show(((Unary) e).operand());
    }

    /**
     * The value of {@code e} in 64-bit two's complement, names resolved by {@code names}; a
     * string has no value ({@code strings} says what to do then). Left operands are followed
     * without recursion, as in {@link #show}.
     */
    static long evaluate(Expr e, java.util.function.ToLongFunction<Name> names,
            java.util.function.ToLongFunction<Str> strings) {
        java.util.ArrayDeque<Binary> spine = new java.util.ArrayDeque<>();
        Expr at = e;
        while (at instanceof Binary) {
            spine.push((Binary) at);
            at = ((Binary) at).left();
        }
        long v;
        if (at instanceof Num) {
            v = ((Num) at).value();
        } else if (at instanceof Name) {
            v = names.applyAsLong((Name) at);
        } else if (at instanceof Str) {
            v = strings.applyAsLong((Str) at);
        } else {
            Unary u = (Unary) at;
            long x = evaluate(u.operand(), names, strings);
            v = u.op() == '-' ? -x : ~x;
        }
        while (!spine.isEmpty()) {
            Binary b = spine.pop();
            v = apply(b.op(), v, evaluate(b.right(), names, strings));
        }
        return v;
    }

    /** {@code l op r}: shifts of 64 or more give 0, {@code >>} is logical. */
    static long apply(String op, long l, long r) {
        switch (op) {
            case "+":
                return l + r;
            case "-":
                return l - r;
            case "<<":
                return Long.compareUnsigned(r, 64) >= 0 ? 0 : l << r;
            case ">>":
                return Long.compareUnsigned(r, 64) >= 0 ? 0 : l >>> r;
            case "&":
                return l & r;
            case "^":
                return l ^ r;
            case "|":
                return l | r;
            default:
                throw new IllegalStateException("operator " + op);
        }
    }

    /** Every name the expression uses, in order. */
    static java.util.List<Name> names(Expr e) {
        java.util.List<Name> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Name) {
                out.add((Name) x);
            } else if (x instanceof Unary) {
                todo.push(((Unary) x).operand());
            } else if (x instanceof Binary) {
                todo.push(((Binary) x).right());
                todo.push(((Binary) x).left());
            }
        }
        return out;
    }
}
