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

    /** The source text, normalised. */
    static String show(Expr e) {
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
        if (e instanceof Unary) {
            return ((Unary) e).op() + show(((Unary) e).operand());
        }
        Binary b = (Binary) e;
        return "(" + show(b.left()) + " " + b.op() + " " + show(b.right()) + ")";
    }
}
