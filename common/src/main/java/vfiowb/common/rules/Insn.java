package vfiowb.common.rules;

import java.util.List;

/**
 * One instruction of interest found by the {@link BytecodeScanner}, with its source line
 * ({@code -1} when the class has no line table) and, where it consumes values, what the scan
 * knows about them ({@link StackValue}).
 *
 * <p>These are the facts ArchUnit's class model does not carry: javac inlines every
 * {@code static final} primitive or String constant, so the constant appears only as an
 * instruction operand; switch keys, shifts and masks are instructions, not dependencies.
 */
public sealed interface Insn permits Insn.Constant, Insn.SwitchKey, Insn.Shift, Insn.BitOp,
        Insn.Comparison, Insn.Call, Insn.FieldAccess {
    /** The source line, -1 when unknown. */
    int line();

    /**
     * A constant pushed onto the stack: {@code iconst_*}, {@code lconst_*}, {@code fconst_*},
     * {@code dconst_*}, {@code bipush}, {@code sipush}, {@code ldc} of a number or a String.
     * (Class literals, method handles and dynamic constants are not recorded; a constant that
     * javac places only in a field's {@code ConstantValue} attribute is not an instruction.)
     *
     * @param value an {@link Integer}, {@link Long}, {@link Float}, {@link Double} or {@link String}
     */
    record Constant(Object value, int line) implements Insn {}

    /**
     * A case key of a {@code tableswitch} or {@code lookupswitch} (a Java {@code switch} on an
     * int, char, short or byte). A key whose target is the default target is not recorded:
     * javac fills the gaps of a {@code tableswitch} range with such keys, and a case label that
     * shares the default's code behaves as no case. Switches on strings and enums compile to
     * switches on hash codes and ordinals, so their keys here are those, not the labels.
     *
     * @param selector the value switched on
     * @param line the line of the case's code (where the case label stands)
     */
    record SwitchKey(int key, StackValue selector, int line) implements Insn {}

    /** {@code <<}, {@code >>} and {@code >>>}. */
    enum ShiftOp {
        SHL("<<"), SHR(">>"), USHR(">>>");

        private final String symbol;

        ShiftOp(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * A shift: {@code ishl}, {@code ishr}, {@code iushr} and their {@code long} forms.
     *
     * @param wide a {@code long} shift
     * @param value the operand shifted
     * @param distance the shift distance
     */
    record Shift(ShiftOp op, boolean wide, StackValue value, StackValue distance, int line)
            implements Insn {
        @Override
        public String toString() {
            return value + " " + op.symbol() + " " + distance;
        }
    }

    /** {@code &}, {@code |} and {@code ^}. */
    enum BitOpKind {
        AND("&"), OR("|"), XOR("^");

        private final String symbol;

        BitOpKind(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * A bitwise operation (a mask is an {@code and}): {@code iand}, {@code land}, {@code ior},
     * {@code lor}, {@code ixor}, {@code lxor}. {@code ~x} compiles to {@code x ^ -1}.
     */
    record BitOp(BitOpKind op, boolean wide, StackValue left, StackValue right, int line)
            implements Insn {
        /** Whether either operand is exactly {@code v}. */
        public boolean hasConstantOperand(long v) {
            return left.isConstant(v) || right.isConstant(v);
        }

        @Override
        public String toString() {
            return left + " " + op.symbol() + " " + right;
        }
    }

    /**
     * A comparison of two values: {@code if_icmpeq} to {@code if_icmple} (ints, chars, shorts,
     * bytes, booleans) and {@code lcmp} (longs). A comparison with zero ({@code ifeq} and kin),
     * of floating point values, of references, or made by a method ({@code equals},
     * {@code Integer.compare}) is not one: for the last, see {@link Call#arguments()}.
     */
    record Comparison(StackValue left, StackValue right, int line) implements Insn {
        /** Whether either side is exactly {@code v}. */
        public boolean hasConstantOperand(long v) {
            return left.isConstant(v) || right.isConstant(v);
        }
    }

    /**
     * A call ({@code invokevirtual}, {@code invokespecial}, {@code invokestatic},
     * {@code invokeinterface}) or a method reference or lambda body handed to
     * {@code invokedynamic} (then {@code reference} is true and there are no arguments: the
     * lambda body is a method of the class and scanned as one).
     *
     * @param arguments the receiver (for an instance call) then the arguments, as the stack holds
     *     them
     */
    record Call(MemberRef target, boolean reference, List<StackValue> arguments, int line)
            implements Insn {
        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    /** A field read or write ({@code getfield}, {@code getstatic}, {@code putfield}, {@code putstatic}). */
    record FieldAccess(MemberRef field, boolean write, int line) implements Insn {}
}
