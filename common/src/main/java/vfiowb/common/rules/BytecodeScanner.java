package vfiowb.common.rules;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;
import org.objectweb.asm.tree.analysis.Value;

/**
 * Reads a class file and lists, per method, the instructions a rule may need that ArchUnit's
 * model does not show ({@link Insn}): constants loaded, switch keys, shifts and bitwise
 * operations with what is known of their operands, comparisons, calls with their arguments,
 * method references, and field accesses, each with its source line.
 *
 * <p>Operands are found by ASM's data-flow {@link Analyzer} with an interpreter that tracks,
 * for every stack slot and local variable, the exact value when it is computed from constants
 * ({@code int} and {@code long} arithmetic, shifts, masks and casts are folded) and otherwise
 * the constants, calls, field reads and parameters it was computed from ({@link StackValue}).
 * Every method is scanned, private helpers, constructors, static initialisers and the
 * synthetic methods that hold lambda bodies included; nested classes are classes of their own.
 *
 * <p>It sees every compile-time constant a method uses, wherever it was declared: javac copies
 * {@code static final} primitives and Strings with constant initialisers into each use (so
 * {@code VfioIoctl.VFIO_DEVICE_GET_REGION_INFO} is a {@code sipush 15212} in the class that
 * names it) and folds constant expressions such as {@code (1L << 40) - 1} into one constant.
 *
 * <p>What the scan cannot see, so a rule built on it cannot either:
 * <ul>
 *   <li>values computed at run time: a shift distance read from a non-final field, an
 *       {@code Arch} object or a table is known only as "from field X" or "from call Y", not as
 *       a number; so is a {@code static final} whose initialiser is not a compile-time constant
 *       (e.g. {@code VfioRegionInfo.SIZE}, computed from the layout): javac reads the field;</li>
 *   <li>values passed through fields, array elements, collections or another method: a helper
 *       that shifts its parameter does not know what its callers pass (a rule sees the shift
 *       in the helper, with the parameter as its source);</li>
 *   <li>arithmetic done by library calls ({@code Math.floorDiv}, {@code Long.numberOfTrailingZeros},
 *       {@code Integer.compare}, {@code equals}): recorded as a call with its arguments, not as a
 *       shift, mask or comparison;</li>
 *   <li>division and remainder by a power of two where a shift was meant, and multiplication
 *       where a left shift was meant: arithmetic is followed for provenance but not reported;</li>
 *   <li>comparisons with zero ({@code if (x == 0)} compiles to {@code ifeq}), of floating
 *       point values, and of references: not recorded as {@link Insn.Comparison};</li>
 *   <li>code that is not in the class file: reflection, {@code MethodHandle} lookups by name,
 *       generated classes.</li>
 * </ul>
 *
 * <p>Scans of classes read through ArchUnit are cached per class file location for the life of
 * the JVM, as {@link RuleEvaluator} caches the imports.
 */
public final class BytecodeScanner {
    private static final Map<String, List<ScannedMethod>> CACHE = new ConcurrentHashMap<>();

    private BytecodeScanner() {}

    /**
     * Scans the class ArchUnit imported, read again from where ArchUnit found it (a directory or
     * a jar), else from the class path.
     *
     * @throws IllegalStateException when the class file cannot be found or read: a rule must
     *     not pass because its scan saw nothing
     */
    public static List<ScannedMethod> scan(JavaClass c) {
        Optional<URI> uri = c.getSource().map(Source::getUri);
        String key = uri.map(URI::toString).orElse("classpath:" + c.getName());
        return CACHE.computeIfAbsent(key, k -> scan(read(c, uri)));
    }

    /**
     * Scans one class file.
     *
     * @throws IllegalArgumentException when the bytes are not a class file ASM can read
     */
    public static List<ScannedMethod> scan(byte[] classFile) {
        ClassNode cls = new ClassNode();
        try {
            new ClassReader(classFile).accept(cls, 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a readable class file (" + classFile.length
                    + " bytes): " + e, e);
        }
        String owner = Type.getObjectType(cls.name).getClassName();
        List<ScannedMethod> out = new ArrayList<>();
        for (MethodNode m : cls.methods) {
            out.add(new ScannedMethod(owner, m.name, m.desc, cls.sourceFile, scan(cls.name, m)));
        }
        return out;
    }

    private static byte[] read(JavaClass c, Optional<URI> uri) {
        try {
            URL url = uri.isPresent() ? uri.get().toURL() : null;
            if (url == null) {
                String resource = c.getName().replace('.', '/') + ".class";
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                url = cl == null ? null : cl.getResource(resource);
                if (url == null) {
                    url = BytecodeScanner.class.getClassLoader().getResource(resource);
                }
            }
            if (url == null) {
                throw new IllegalStateException("no class file for " + c.getName());
            }
            URLConnection conn = url.openConnection();
            conn.setUseCaches(false);
            try (InputStream in = conn.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the class file of " + c.getName(), e);
        }
    }

    private static List<Insn> scan(String internalOwner, MethodNode m) {
        if (m.instructions.size() == 0) {
            return List.of();
        }
        Frame<Slot>[] frames;
        try {
            frames = new Analyzer<>(new ProvenanceInterpreter(m)).analyze(internalOwner, m);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("cannot analyse " + internalOwner + "." + m.name
                    + m.desc + ": " + e.getMessage(), e);
        }
        int[] lines = new int[m.instructions.size()];
        int line = -1;
        for (int i = 0; i < lines.length; i++) {
            AbstractInsnNode insn = m.instructions.get(i);
            if (insn instanceof LineNumberNode) {
                line = ((LineNumberNode) insn).line;
            }
            lines[i] = line;
        }
        List<Insn> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            AbstractInsnNode insn = m.instructions.get(i);
            if (insn.getOpcode() >= 0) {
                record(m, i, frames[i], lines, out);
            }
        }
        return out;
    }

    /** The line of the first instruction at {@code target} (a switch case's code). */
    private static int lineOf(MethodNode m, LabelNode target, int[] lines) {
        int i = m.instructions.indexOf(target);
        while (i < lines.length - 1 && m.instructions.get(i).getOpcode() < 0) {
            i++;
        }
        return lines[i];
    }

    private static void record(MethodNode m, int index, Frame<Slot> f, int[] lines,
            List<Insn> out) {
        AbstractInsnNode insn = m.instructions.get(index);
        int line = lines[index];
        int op = insn.getOpcode();
        if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
            out.add(new Insn.Constant(op - Opcodes.ICONST_0, line));
        } else if (op == Opcodes.LCONST_0 || op == Opcodes.LCONST_1) {
            out.add(new Insn.Constant((long) (op - Opcodes.LCONST_0), line));
        } else if (op >= Opcodes.FCONST_0 && op <= Opcodes.FCONST_2) {
            out.add(new Insn.Constant((float) (op - Opcodes.FCONST_0), line));
        } else if (op == Opcodes.DCONST_0 || op == Opcodes.DCONST_1) {
            out.add(new Insn.Constant((double) (op - Opcodes.DCONST_0), line));
        } else if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) {
            out.add(new Insn.Constant(((IntInsnNode) insn).operand, line));
        } else if (op == Opcodes.LDC) {
            Object cst = ((LdcInsnNode) insn).cst;
            if (cst instanceof Number || cst instanceof String) {
                out.add(new Insn.Constant(cst, line));
            }
        } else if (op == Opcodes.TABLESWITCH) {
            TableSwitchInsnNode t = (TableSwitchInsnNode) insn;
            for (int k = t.min; k <= t.max; k++) {
                LabelNode target = t.labels.get(k - t.min);
                if (target != t.dflt) {
                    out.add(new Insn.SwitchKey(k, operand(f, 0), lineOf(m, target, lines)));
                }
            }
        } else if (op == Opcodes.LOOKUPSWITCH) {
            LookupSwitchInsnNode s = (LookupSwitchInsnNode) insn;
            for (int j = 0; j < s.keys.size(); j++) {
                LabelNode target = s.labels.get(j);
                if (target != s.dflt) {
                    out.add(new Insn.SwitchKey(s.keys.get(j), operand(f, 0),
                            lineOf(m, target, lines)));
                }
            }
        } else if (op >= Opcodes.ISHL && op <= Opcodes.LUSHR) {
            Insn.ShiftOp kind = op <= Opcodes.LSHL ? Insn.ShiftOp.SHL
                    : op <= Opcodes.LSHR ? Insn.ShiftOp.SHR : Insn.ShiftOp.USHR;
            out.add(new Insn.Shift(kind, (op & 1) == 1, operand(f, 1), operand(f, 0), line));
        } else if (op >= Opcodes.IAND && op <= Opcodes.LXOR) {
            Insn.BitOpKind kind = op <= Opcodes.LAND ? Insn.BitOpKind.AND
                    : op <= Opcodes.LOR ? Insn.BitOpKind.OR : Insn.BitOpKind.XOR;
            out.add(new Insn.BitOp(kind, (op & 1) == 1, operand(f, 1), operand(f, 0), line));
        } else if ((op >= Opcodes.IF_ICMPEQ && op <= Opcodes.IF_ICMPLE) || op == Opcodes.LCMP) {
            out.add(new Insn.Comparison(operand(f, 1), operand(f, 0), line));
        } else if (insn instanceof MethodInsnNode) {
            MethodInsnNode mi = (MethodInsnNode) insn;
            int n = Type.getArgumentTypes(mi.desc).length + (op == Opcodes.INVOKESTATIC ? 0 : 1);
            List<StackValue> args = new ArrayList<>();
            for (int j = n - 1; j >= 0; j--) {
                args.add(operand(f, j));
            }
            out.add(new Insn.Call(ref(mi.owner, mi.name, mi.desc), false, args, line));
        } else if (insn instanceof InvokeDynamicInsnNode) {
            for (Object arg : ((InvokeDynamicInsnNode) insn).bsmArgs) {
                if (arg instanceof Handle && ((Handle) arg).getTag() >= Opcodes.H_INVOKEVIRTUAL) {
                    Handle h = (Handle) arg;
                    out.add(new Insn.Call(ref(h.getOwner(), h.getName(), h.getDesc()), true,
                            List.of(), line));
                }
            }
        } else if (insn instanceof FieldInsnNode) {
            FieldInsnNode fi = (FieldInsnNode) insn;
            out.add(new Insn.FieldAccess(ref(fi.owner, fi.name, fi.desc),
                    op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC, line));
        }
    }

    /** The stack slot {@code fromTop} below the top before the instruction runs. */
    private static StackValue operand(Frame<Slot> f, int fromTop) {
        if (f == null) {
            return StackValue.UNKNOWN;
        }
        return f.getStack(f.getStackSize() - 1 - fromTop).value;
    }

    static MemberRef ref(String internalOwner, String name, String desc) {
        return new MemberRef(Type.getObjectType(internalOwner).getClassName(), name, desc);
    }

    /**
     * A stack slot or local variable for ASM's analysis: its size (1, or 2 for long and double),
     * what is known of it, and whether it is the "unusable" value of a local that holds
     * different things on different paths (absorbing, so the analysis terminates).
     */
    record Slot(int size, StackValue value, boolean top) implements Value {
        static final Slot TOP = new Slot(1, StackValue.UNKNOWN, true);

        static Slot of(int size, StackValue v) {
            return new Slot(size, v, false);
        }

        @Override
        public int getSize() {
            return size;
        }
    }

    /** Computes {@link Slot}s: constant folding and provenance (see {@link StackValue}). */
    private static final class ProvenanceInterpreter extends Interpreter<Slot> {
        private final int[] parameterOfLocal;

        ProvenanceInterpreter(MethodNode m) {
            super(Opcodes.ASM9);
            boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
            Type[] args = Type.getArgumentTypes(m.desc);
            parameterOfLocal = new int[Math.max(m.maxLocals, 1) + 2];
            Arrays.fill(parameterOfLocal, -1);
            int local = isStatic ? 0 : 1;
            for (int p = 0; p < args.length; p++) {
                if (local < parameterOfLocal.length) {
                    parameterOfLocal[local] = p;
                }
                local += args[p].getSize();
            }
        }

        @Override
        public Slot newValue(Type type) {
            if (type == null) {
                return Slot.TOP;
            }
            if (type == Type.VOID_TYPE) {
                return null;
            }
            return Slot.of(type.getSize(), StackValue.UNKNOWN);
        }

        @Override
        public Slot newParameterValue(boolean isInstanceMethod, int local, Type type) {
            int p = local < parameterOfLocal.length ? parameterOfLocal[local] : -1;
            return Slot.of(type.getSize(), p < 0 ? StackValue.UNKNOWN : StackValue.parameter(p));
        }

        @Override
        public Slot newOperation(AbstractInsnNode insn) {
            int op = insn.getOpcode();
            switch (op) {
                case Opcodes.ICONST_M1: case Opcodes.ICONST_0: case Opcodes.ICONST_1:
                case Opcodes.ICONST_2: case Opcodes.ICONST_3: case Opcodes.ICONST_4:
                case Opcodes.ICONST_5:
                    return Slot.of(1, StackValue.of(op - Opcodes.ICONST_0));
                case Opcodes.LCONST_0: case Opcodes.LCONST_1:
                    return Slot.of(2, StackValue.of((long) (op - Opcodes.LCONST_0)));
                case Opcodes.FCONST_0: case Opcodes.FCONST_1: case Opcodes.FCONST_2:
                    return Slot.of(1, StackValue.of((float) (op - Opcodes.FCONST_0)));
                case Opcodes.DCONST_0: case Opcodes.DCONST_1:
                    return Slot.of(2, StackValue.of((double) (op - Opcodes.DCONST_0)));
                case Opcodes.BIPUSH: case Opcodes.SIPUSH:
                    return Slot.of(1, StackValue.of(((IntInsnNode) insn).operand));
                case Opcodes.LDC: {
                    Object cst = ((LdcInsnNode) insn).cst;
                    int size = cst instanceof Long || cst instanceof Double ? 2 : 1;
                    if (cst instanceof ConstantDynamic) {
                        size = ((ConstantDynamic) cst).getSize();
                    }
                    return Slot.of(size, cst instanceof Number || cst instanceof String
                            ? StackValue.of(cst) : StackValue.UNKNOWN);
                }
                case Opcodes.GETSTATIC: {
                    FieldInsnNode fi = (FieldInsnNode) insn;
                    return Slot.of(Type.getType(fi.desc).getSize(),
                            StackValue.field(ref(fi.owner, fi.name, fi.desc), List.of()));
                }
                default:
                    return Slot.of(1, StackValue.UNKNOWN);
            }
        }

        @Override
        public Slot copyOperation(AbstractInsnNode insn, Slot value) {
            return value;
        }

        @Override
        public Slot unaryOperation(AbstractInsnNode insn, Slot value) {
            StackValue v = value.value();
            Object k = v.constant();
            switch (insn.getOpcode()) {
                case Opcodes.INEG:
                    return Slot.of(1, k instanceof Integer ? folded(-(Integer) k, v)
                            : StackValue.derived(List.of(v)));
                case Opcodes.LNEG:
                    return Slot.of(2, k instanceof Long ? folded(-(Long) k, v)
                            : StackValue.derived(List.of(v)));
                case Opcodes.IINC: {
                    int inc = ((IincInsnNode) insn).incr;
                    StackValue by = StackValue.of(inc);
                    return Slot.of(1, k instanceof Integer ? folded((Integer) k + inc, v, by)
                            : StackValue.derived(List.of(v, by)));
                }
                case Opcodes.I2L:
                    return Slot.of(2, k instanceof Integer ? folded((long) (Integer) k, v)
                            : StackValue.derived(List.of(v)));
                case Opcodes.L2I:
                    return Slot.of(1, k instanceof Long ? folded((int) (long) (Long) k, v)
                            : StackValue.derived(List.of(v)));
                case Opcodes.I2B:
                    return Slot.of(1, k instanceof Integer ? folded((int) (byte) (int) (Integer) k, v)
                            : StackValue.derived(List.of(v)));
                case Opcodes.I2C:
                    return Slot.of(1, k instanceof Integer ? folded((int) (char) (int) (Integer) k, v)
                            : StackValue.derived(List.of(v)));
                case Opcodes.I2S:
                    return Slot.of(1, k instanceof Integer ? folded((int) (short) (int) (Integer) k, v)
                            : StackValue.derived(List.of(v)));
                case Opcodes.I2D: case Opcodes.F2L: case Opcodes.F2D: case Opcodes.L2D:
                case Opcodes.D2L: case Opcodes.DNEG:
                    return Slot.of(2, StackValue.derived(List.of(v)));
                case Opcodes.I2F: case Opcodes.L2F: case Opcodes.F2I: case Opcodes.D2I:
                case Opcodes.D2F: case Opcodes.FNEG: case Opcodes.ARRAYLENGTH:
                case Opcodes.INSTANCEOF: case Opcodes.NEWARRAY: case Opcodes.ANEWARRAY:
                    return Slot.of(1, StackValue.derived(List.of(v)));
                case Opcodes.CHECKCAST:
                    return value;
                case Opcodes.GETFIELD: {
                    FieldInsnNode fi = (FieldInsnNode) insn;
                    return Slot.of(Type.getType(fi.desc).getSize(),
                            StackValue.field(ref(fi.owner, fi.name, fi.desc), List.of(v)));
                }
                default:
                    // jumps, switches, returns, putstatic, athrow, monitors: no result
                    return null;
            }
        }

        @Override
        public Slot binaryOperation(AbstractInsnNode insn, Slot value1, Slot value2) {
            int op = insn.getOpcode();
            StackValue a = value1.value();
            StackValue b = value2.value();
            Object x = a.constant();
            Object y = b.constant();
            switch (op) {
                case Opcodes.IADD: case Opcodes.ISUB: case Opcodes.IMUL: case Opcodes.IDIV:
                case Opcodes.IREM: case Opcodes.ISHL: case Opcodes.ISHR: case Opcodes.IUSHR:
                case Opcodes.IAND: case Opcodes.IOR: case Opcodes.IXOR: {
                    Integer r = x instanceof Integer && y instanceof Integer
                            ? foldInt(op, (Integer) x, (Integer) y) : null;
                    return Slot.of(1, r != null ? folded(r, a, b) : StackValue.derived(List.of(a, b)));
                }
                case Opcodes.LADD: case Opcodes.LSUB: case Opcodes.LMUL: case Opcodes.LDIV:
                case Opcodes.LREM: case Opcodes.LAND: case Opcodes.LOR: case Opcodes.LXOR: {
                    Long r = x instanceof Long && y instanceof Long
                            ? foldLong(op, (Long) x, (Long) y) : null;
                    return Slot.of(2, r != null ? folded(r, a, b) : StackValue.derived(List.of(a, b)));
                }
                case Opcodes.LSHL: case Opcodes.LSHR: case Opcodes.LUSHR: {
                    Long r = null;
                    if (x instanceof Long && y instanceof Integer) {
                        long l = (Long) x;
                        int d = (Integer) y;
                        r = op == Opcodes.LSHL ? l << d : op == Opcodes.LSHR ? l >> d : l >>> d;
                    }
                    return Slot.of(2, r != null ? folded(r, a, b) : StackValue.derived(List.of(a, b)));
                }
                case Opcodes.LALOAD: case Opcodes.DALOAD: case Opcodes.DADD: case Opcodes.DSUB:
                case Opcodes.DMUL: case Opcodes.DDIV: case Opcodes.DREM:
                    return Slot.of(2, StackValue.derived(List.of(a, b)));
                case Opcodes.IALOAD: case Opcodes.BALOAD: case Opcodes.CALOAD: case Opcodes.SALOAD:
                case Opcodes.FALOAD: case Opcodes.AALOAD: case Opcodes.FADD: case Opcodes.FSUB:
                case Opcodes.FMUL: case Opcodes.FDIV: case Opcodes.FREM: case Opcodes.LCMP:
                case Opcodes.FCMPL: case Opcodes.FCMPG: case Opcodes.DCMPL: case Opcodes.DCMPG:
                    return Slot.of(1, StackValue.derived(List.of(a, b)));
                default:
                    // conditional jumps and putfield: no result
                    return null;
            }
        }

        @Override
        public Slot ternaryOperation(AbstractInsnNode insn, Slot value1, Slot value2, Slot value3) {
            return null;
        }

        @Override
        public Slot naryOperation(AbstractInsnNode insn, List<? extends Slot> values) {
            List<StackValue> in = new ArrayList<>();
            for (Slot s : values) {
                in.add(s.value());
            }
            if (insn instanceof MethodInsnNode) {
                MethodInsnNode mi = (MethodInsnNode) insn;
                Type ret = Type.getReturnType(mi.desc);
                if (ret == Type.VOID_TYPE) {
                    return null;
                }
                return Slot.of(ret.getSize(), StackValue.call(ref(mi.owner, mi.name, mi.desc), in));
            }
            if (insn instanceof InvokeDynamicInsnNode) {
                Type ret = Type.getReturnType(((InvokeDynamicInsnNode) insn).desc);
                return ret == Type.VOID_TYPE ? null : Slot.of(ret.getSize(), StackValue.derived(in));
            }
            return Slot.of(1, StackValue.derived(in));
        }

        @Override
        public void returnOperation(AbstractInsnNode insn, Slot value, Slot expected) {
        }

        @Override
        public Slot merge(Slot value1, Slot value2) {
            if (value1.equals(value2)) {
                return value1;
            }
            if (value1.top() || value2.top() || value1.size() != value2.size()) {
                return Slot.TOP;
            }
            return Slot.of(value1.size(), value1.value().join(value2.value()));
        }

        private static StackValue folded(Object result, StackValue... inputs) {
            StackValue d = StackValue.derived(List.of(inputs));
            Set<Object> k = new LinkedHashSet<>(d.constants());
            k.add(result);
            return new StackValue(result, k, d.calls(), d.fields(), d.parameters());
        }

        private static Integer foldInt(int op, int x, int y) {
            switch (op) {
                case Opcodes.IADD: return x + y;
                case Opcodes.ISUB: return x - y;
                case Opcodes.IMUL: return x * y;
                case Opcodes.IDIV: return y == 0 ? null : x / y;
                case Opcodes.IREM: return y == 0 ? null : x % y;
                case Opcodes.ISHL: return x << y;
                case Opcodes.ISHR: return x >> y;
                case Opcodes.IUSHR: return x >>> y;
                case Opcodes.IAND: return x & y;
                case Opcodes.IOR: return x | y;
                default: return x ^ y;
            }
        }

        private static Long foldLong(int op, long x, long y) {
            switch (op) {
                case Opcodes.LADD: return x + y;
                case Opcodes.LSUB: return x - y;
                case Opcodes.LMUL: return x * y;
                case Opcodes.LDIV: return y == 0 ? null : x / y;
                case Opcodes.LREM: return y == 0 ? null : x % y;
                case Opcodes.LAND: return x & y;
                case Opcodes.LOR: return x | y;
                default: return x ^ y;
            }
        }
    }
}
