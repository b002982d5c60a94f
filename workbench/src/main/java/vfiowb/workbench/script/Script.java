package vfiowb.workbench.script;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.workbench.io.InputLimits;

/**
 * A parsed scenario script. The language is line oriented; see {@code docs/scenarios.md}:
 *
 * <pre>
 * # comment
 * [NAME =] OP ARG... [expect ERRNO | SIGBUS | SIGSEGV | KERNEL_BUG [FUNCTION] | ok | EXPR]
 * expect EXPR [== | != | &lt; | &lt;= | &gt; | &gt;= EXPR]
 * require arch ARCH
 * </pre>
 *
 * Arguments are separated by blanks, so an expression argument with blanks inside is written in
 * parentheses. Parsing checks everything that does not depend on the kernel's replies before
 * anything runs: operations and their arguments, device, errno, arch and capability names,
 * names used before they are assigned or assigned by a line that expects its call to fail,
 * fields a result does not have, text used as a number, a mapping argument that is not a
 * mapping, access widths and buffer sizes that are constant, and {@code load}/{@code store}
 * on an anonymous mapping. What only the replies decide (an index past the capabilities the
 * kernel returned) fails the statement when it runs.
 */
public final class Script {
    /** One statement, with its 1-based line and source text. */
    public sealed interface Stmt permits Call, Expect, RequireArch {
        int line();

        String text();
    }

    /**
     * What a trailing {@code expect} on a call asks for. {@code function} is for
     * {@code KERNEL_BUG}: the upstream {@code file.c:function} or bare function name the bug
     * must name, or null for any.
     */
    public record Expectation(String kind, int errno, String signal, Expr value, String function) {
        static Expectation errno(int e) {
            return new Expectation("errno", e, null, null, null);
        }

        static Expectation signal(String s) {
            return new Expectation("signal", 0, s, null, null);
        }

        static Expectation ok() {
            return new Expectation("ok", 0, null, null, null);
        }

        static Expectation value(Expr v) {
            return new Expectation("value", 0, null, v, null);
        }

        static Expectation kernelBug(String function) {
            return new Expectation("kernel_bug", 0, null, null, function);
        }

        /** How the transcript shows it. */
        public String show() {
            switch (kind) {
                case "errno":
                    return Errno.name(errno);
                case "signal":
                    return signal;
                case "ok":
                    return "ok";
                case "kernel_bug":
                    return function == null ? "KERNEL_BUG" : "KERNEL_BUG " + function;
                default:
                    return Expr.show(value);
            }
        }
    }

    /**
     * {@code [target =] op args... [named=...] [flag...] [expect ...]}.
     *
     * @param words the word arguments (device name, request name, enable/disable), by position
     */
    public record Call(int line, String text, String target, String op, List<Expr> args,
            Map<Integer, String> words, Map<String, Expr> named, Map<String, String> namedWords,
            Set<String> flags, Expectation expect) implements Stmt {}

    /** {@code expect left [cmp right]}. */
    public record Expect(int line, String text, Expr left, String cmp, Expr right) implements Stmt {}

    /** {@code require arch NAME}. */
    public record RequireArch(int line, String text, Arch arch) implements Stmt {}

    /** A parameter of an operation: an expression, or a word taken literally. */
    private enum P { EXPR, WORD, OPT_WORD }

    /** Operations: positional parameters, named expression args, named word args, flags. */
    private record Op(List<P> params, Set<String> named, Set<String> namedWords, Set<String> flags,
            List<String> words) {}

    private static final Map<String, Op> OPS = new LinkedHashMap<>();

    static {
        op("open", List.of(P.OPT_WORD), Set.of(), Set.of(), Set.of(), null);
        op("close", List.of(P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("get_info", List.of(P.EXPR), Set.of("argsz"), Set.of(), Set.of(), null);
        op("region_info", List.of(P.EXPR, P.EXPR), Set.of("argsz"), Set.of(), Set.of("retry"), null);
        op("irq_info", List.of(P.EXPR, P.EXPR), Set.of("argsz"), Set.of(), Set.of(), null);
        op("ioctl", List.of(P.EXPR, P.EXPR), Set.of("value"), Set.of("arg"), Set.of(), null);
        op("reset", List.of(P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("pread", List.of(P.EXPR, P.EXPR, P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("pwrite", List.of(P.EXPR, P.EXPR, P.EXPR, P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("mmap", List.of(P.EXPR, P.EXPR, P.EXPR, P.EXPR, P.EXPR), Set.of("addr"), Set.of(),
                Set.of(), null);
        op("munmap", List.of(P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("load", List.of(P.EXPR, P.EXPR, P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("store", List.of(P.EXPR, P.EXPR, P.EXPR, P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("pagetable", List.of(P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("touch", List.of(P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("memory", List.of(P.EXPR, P.WORD), Set.of(), Set.of(), Set.of(), List.of("enable", "disable"));
        op("wc_map", List.of(P.EXPR, P.EXPR, P.EXPR, P.EXPR), Set.of(), Set.of(), Set.of(), null);
        op("probe", List.of(P.EXPR, P.EXPR), Set.of(), Set.of(), Set.of(), null);
    }

    private static void op(String name, List<P> params, Set<String> named, Set<String> namedWords,
            Set<String> flags, List<String> words) {
        OPS.put(name, new Op(params, named, namedWords, flags, words));
    }

    /** The operation names, for messages and docs. */
    public static Set<String> operations() {
        return Collections.unmodifiableSet(OPS.keySet());
    }

    private final List<Stmt> statements;
    private final Set<String> devices;

    private Script(List<Stmt> statements, Set<String> devices) {
        this.statements = List.copyOf(statements);
        this.devices = Collections.unmodifiableSet(devices);
    }

    public List<Stmt> statements() {
        return statements;
    }

    /** The catalogue devices the script opens by name. */
    public Set<String> devices() {
        return devices;
    }

    /** The first line with an {@code open} that names no device, or 0. */
    public int unnamedOpen() {
        for (Stmt s : statements) {
            if (s instanceof Call && ((Call) s).op().equals("open") && ((Call) s).words().get(0) == null) {
                return s.line();
            }
        }
        return 0;
    }

    /** {@code text} for a message: at most 60 characters, longer text cut with "...". */
    static String excerpt(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /**
     * Parses a whole script; {@code constants} are the names expressions may use besides the
     * script's own variables.
     *
     * @throws ScriptError at the first problem
     */
    public static Script parse(List<String> lines, Set<String> constants) {
        List<Stmt> out = new ArrayList<>();
        Scope scope = new Scope(constants);
        Set<String> devices = new LinkedHashSet<>();
        Set<String> anonymous = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            String text = lines.get(i);
            int hash = text.indexOf('#');
            if (hash >= 0) {
                text = text.substring(0, hash);
            }
            text = text.strip();
            if (text.isEmpty()) {
                continue;
            }
            Stmt s = statement(line, text, scope, anonymous);
            if (s instanceof Call) {
                Call c = (Call) s;
                if (c.op().equals("open") && c.words().get(0) != null) {
                    devices.add(c.words().get(0));
                }
                if (c.target() != null) {
                    scope.assign(c);
                    anonymous.remove(c.target());
                    if (c.op().equals("mmap") && isAnonymous(c)) {
                        anonymous.add(c.target());
                    }
                }
            }
            out.add(s);
        }
        return new Script(out, devices);
    }

    private static Stmt statement(int line, String text, Scope scope, Set<String> anonymous) {
        List<String> units = units(line, text);
        String first = units.get(0);
        if (first.equals("expect")) {
            if (units.size() == 1) {
                throw new ScriptError(line, "expect needs an expression");
            }
            return expect(line, text, String.join(" ", units.subList(1, units.size())), scope);
        }
        if (first.equals("require")) {
            if (units.size() != 3 || !units.get(1).equals("arch")) {
                throw new ScriptError(line, "write 'require arch NAME'");
            }
            Arch a = Arch.byCliName(units.get(2));
            if (a == null) {
                throw new ScriptError(line, "unknown arch '" + excerpt(units.get(2)) + "'");
            }
            return new RequireArch(line, text, a);
        }
        String target = null;
        int at = 0;
        if (units.size() >= 2 && units.get(1).equals("=")) {
            target = first;
            if (!isIdentifier(target) || target.contains(".")) {
                throw new ScriptError(line, "cannot assign to '" + excerpt(target) + "'");
            }
            if (scope.isConstant(target)) {
                throw new ScriptError(line, "'" + target + "' is a constant");
            }
            at = 2;
        } else if (first.endsWith("=") && first.length() > 1 && !first.contains("==")) {
            throw new ScriptError(line, "write 'NAME = OP ...' with blanks around '='");
        }
        if (at >= units.size()) {
            throw new ScriptError(line, "nothing after '='");
        }
        String opName = units.get(at);
        Op op = OPS.get(opName);
        if (op == null) {
            throw new ScriptError(line, "unknown operation '" + excerpt(opName) + "' (one of "
                    + String.join(", ", OPS.keySet()) + ", expect, require)");
        }
        List<String> rest = new ArrayList<>(units.subList(at + 1, units.size()));
        Expectation expectation = null;
        int e = rest.indexOf("expect");
        if (e >= 0) {
            List<String> ex = rest.subList(e + 1, rest.size());
            if (ex.isEmpty()) {
                throw new ScriptError(line, "expect needs an errno, SIGBUS, SIGSEGV, KERNEL_BUG, ok or a "
                        + "value");
            }
            expectation = expectation(line, String.join(" ", ex), scope);
            rest = new ArrayList<>(rest.subList(0, e));
        }
        List<Expr> args = new ArrayList<>();
        Map<Integer, String> words = new LinkedHashMap<>();
        Map<String, Expr> named = new LinkedHashMap<>();
        Map<String, String> namedWords = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        int pos = 0;
        for (String u : rest) {
            int eq = u.indexOf('=');
            if (eq > 0 && !u.startsWith("(") && isIdentifier(u.substring(0, eq))) {
                String key = u.substring(0, eq);
                String val = u.substring(eq + 1);
                if (op.named().contains(key)) {
                    named.put(key, numeric(line, ExprParser.parse(line, val), scope));
                } else if (op.namedWords().contains(key)) {
                    namedWords.put(key, val);
                } else {
                    throw new ScriptError(line, opName + " has no argument '" + excerpt(key) + "'");
                }
                continue;
            }
            if (op.flags().contains(u)) {
                flags.add(u);
                continue;
            }
            if (pos >= op.params().size()) {
                throw new ScriptError(line, opName + " takes " + op.params().size()
                        + " argument" + (op.params().size() == 1 ? "" : "s") + ", got more: '"
                        + excerpt(u) + "'");
            }
            P p = op.params().get(pos);
            if (p == P.EXPR) {
                args.add(numeric(line, ExprParser.parse(line, u), scope));
            } else {
                if (op.words() != null && !op.words().contains(u)) {
                    throw new ScriptError(line, opName + " takes " + String.join(" or ", op.words())
                            + ", not '" + excerpt(u) + "'");
                }
                words.put(pos, u);
                args.add(null);
            }
            pos++;
        }
        long required = op.params().stream().filter(p -> p != P.OPT_WORD).count();
        if (pos < required) {
            throw new ScriptError(line, opName + " takes " + required + " argument"
                    + (required == 1 ? "" : "s") + ", got " + pos);
        }
        if (opName.equals("open") && words.get(0) != null
                && DeviceCatalogue.byName(words.get(0)).isEmpty()) {
            throw new ScriptError(line, "unknown device '" + excerpt(words.get(0)) + "'");
        }
        if (namedWords.containsKey("arg") && !namedWords.get("arg").matches("([0-9a-fA-F]{2})*")) {
            throw new ScriptError(line, "arg= takes hex bytes, e.g. arg=2000000000000000");
        }
        if (namedWords.containsKey("arg")
                && namedWords.get("arg").length() / 2 > InputLimits.MAX_BUFFER_BYTES) {
            throw new ScriptError(line, "arg= longer than " + InputLimits.bytes(
                    InputLimits.MAX_BUFFER_BYTES) + ", the largest buffer a script passes");
        }
        Call c = new Call(line, text, target, opName, args, words, named, namedWords, flags,
                expectation);
        checkArguments(c, scope, anonymous);
        return c;
    }

    /** The checks of a call's arguments that need no reply: mappings, widths, counts. */
    private static void checkArguments(Call c, Scope scope, Set<String> anonymous) {
        int line = c.line();
        if (c.expect() != null && c.expect().kind().equals("value") && !Scope.hasScalar(c.op())) {
            throw new ScriptError(line, c.op() + " has no single value to expect; assign it and "
                    + "expect a field");
        }
        switch (c.op()) {
            case "munmap":
            case "load":
            case "store":
            case "pagetable":
            case "probe":
            case "touch": {
                Expr m = c.args().get(0);
                Scope.Var v = m instanceof Expr.Name && ((Expr.Name) m).path().isEmpty()
                        ? scope.var(((Expr.Name) m).name()) : null;
                if (v == null || !(v.op().equals("mmap") || v.op().equals("wc_map"))) {
                    throw new ScriptError(line, c.op() + " takes a mapping: the name an mmap or "
                            + "wc_map line assigned, not '" + excerpt(Expr.show(m)) + "'");
                }
                boolean access = c.op().equals("load") || c.op().equals("store")
                        || c.op().equals("touch");
                if (access && anonymous.contains(v.name())) {
                    throw new ScriptError(line, "'" + v.name() + "' (line " + v.line() + ") is a "
                            + "MAP_ANONYMOUS mapping: the model only reserves its address space, "
                            + "so " + c.op() + " through it is not modelled");
                }
                if (c.op().equals("load") || c.op().equals("store")) {
                    constant(line, c.args().get(2), "width", 1, 8, true);
                }
                break;
            }
            case "pwrite":
                constant(line, c.args().get(2), "width", 0, 8, false);
                break;
            case "pread": {
                Long n = constantValue(c.args().get(2));
                if (n != null && (n < 0 || n > InputLimits.MAX_BUFFER_BYTES)) {
                    throw new ScriptError(line, "count " + Long.toUnsignedString(n) + " out of range "
                            + "(0 to " + InputLimits.MAX_BUFFER_BYTES + ")");
                }
                break;
            }
            default:
        }
    }

    /**
     * Checks that {@code e} is a constant expression in {@code [min, max]} (a power of two when
     * {@code pow2}): an access width is part of the instruction, never data.
     */
    private static void constant(int line, Expr e, String what, long min, long max, boolean pow2) {
        Long v = constantValue(e);
        String want = pow2 ? "1, 2, 4 or 8" : min + " to " + max;
        if (v == null) {
            throw new ScriptError(line, what + " must be a constant (" + want + "), not '"
                    + excerpt(Expr.show(e)) + "'");
        }
        if (v < min || v > max || (pow2 && Long.bitCount(v) != 1)) {
            throw new ScriptError(line, what + " must be " + want + ", not "
                    + Long.toUnsignedString(v));
        }
    }

    /** The value of an expression of literals and arch-independent constants, or null. */
    static Long constantValue(Expr e) {
        for (Expr.Name n : Expr.names(e)) {
            if (!n.path().isEmpty() || Constants.fixed(n.name()) == null) {
                return null;
            }
        }
        return Constants.evaluate(e);
    }

    private static boolean isAnonymous(Call c) {
        Long flags = constantValue(c.args().get(4));
        return flags != null && (flags & Mman.MAP_ANONYMOUS) != 0;
    }

    /** Checks the names of an expression used as a number. */
    private static Expr numeric(int line, Expr e, Scope scope) {
        for (Expr.Name n : Expr.names(e)) {
            scope.check(line, n, true);
        }
        for (Expr x : strings(e)) {
            throw new ScriptError(line, "a string is not a number: " + Expr.show(x));
        }
        return e;
    }

    private static List<Expr> strings(Expr e) {
        List<Expr> out = new ArrayList<>();
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Str) {
                out.add(x);
            } else if (x instanceof Expr.Unary) {
                todo.push(((Expr.Unary) x).operand());
            } else if (x instanceof Expr.Binary) {
                todo.push(((Expr.Binary) x).right());
                todo.push(((Expr.Binary) x).left());
            }
        }
        return out;
    }

    private static Expectation expectation(int line, String s, Scope scope) {
        if (s.equals("ok")) {
            return Expectation.ok();
        }
        if (s.equals("KERNEL_BUG") || s.startsWith("KERNEL_BUG ")) {
            String fn = s.substring("KERNEL_BUG".length()).strip();
            if (fn.isEmpty()) {
                return Expectation.kernelBug(null);
            }
            if (!fn.matches("([\\w./-]+\\.[ch]:)?\\w+")) {
                throw new ScriptError(line, "KERNEL_BUG takes an upstream function, "
                        + "'path/file.c:function' or 'function', not '" + excerpt(fn) + "'");
            }
            return Expectation.kernelBug(fn);
        }
        if (s.equals("SIGBUS") || s.equals("SIGSEGV")) {
            return Expectation.signal(s);
        }
        if (s.matches("E[A-Z0-9]+")) {
            int e = Errno.byName(s);
            if (e < 0) {
                throw new ScriptError(line, "unknown errno '" + excerpt(s) + "'");
            }
            return Expectation.errno(e);
        }
        return Expectation.value(numeric(line, ExprParser.parse(line, s), scope));
    }

    private static Expect expect(int line, String text, String s, Scope scope) {
        ExprParser.Condition c = ExprParser.parseCondition(line, s);
        boolean text2 = c.left() instanceof Expr.Str || c.right() instanceof Expr.Str;
        if (text2) {
            if (c.cmp() == null || !(c.cmp().equals("==") || c.cmp().equals("!="))) {
                throw new ScriptError(line, "a string can only be compared with == or !=");
            }
            for (Expr side : new Expr[] {c.left(), c.right()}) {
                if (side instanceof Expr.Str) {
                    continue;
                }
                if (!strings(side).isEmpty()) {
                    throw new ScriptError(line, "a string is not a number: "
                            + excerpt(Expr.show(strings(side).get(0))));
                }
                for (Expr.Name n : Expr.names(side)) {
                    scope.check(line, n, false);
                }
            }
        } else {
            numeric(line, c.left(), scope);
            if (c.right() != null) {
                numeric(line, c.right(), scope);
            }
        }
        return new Expect(line, text, c.left(), c.cmp(), c.right());
    }

    /** Splits at blanks outside parentheses; a lone '=' is its own unit. */
    private static List<String> units(int line, String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw new ScriptError(line, "unbalanced ')'");
                }
            }
            if (Character.isWhitespace(c) && depth == 0) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (depth != 0) {
            throw new ScriptError(line, "unbalanced '('");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    static boolean isIdentifier(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");
    }
}
