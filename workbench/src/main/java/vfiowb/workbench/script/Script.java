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
 * parentheses. Parsing checks everything it can before anything runs: operations and their
 * arguments, names used before they are assigned, device, errno and arch names.
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

    /**
     * Parses a whole script; {@code constants} are the names expressions may use besides the
     * script's own variables.
     *
     * @throws ScriptError at the first problem
     */
    public static Script parse(List<String> lines, Set<String> constants) {
        List<Stmt> out = new ArrayList<>();
        Set<String> vars = new HashSet<>();
        Set<String> devices = new LinkedHashSet<>();
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
            Stmt s = statement(line, text, vars, constants);
            if (s instanceof Call) {
                Call c = (Call) s;
                if (c.op().equals("open") && c.words().get(0) != null) {
                    devices.add(c.words().get(0));
                }
                if (c.target() != null) {
                    vars.add(c.target());
                }
            }
            out.add(s);
        }
        return new Script(out, devices);
    }

    private static Stmt statement(int line, String text, Set<String> vars, Set<String> constants) {
        List<String> units = units(line, text);
        String first = units.get(0);
        if (first.equals("expect")) {
            if (units.size() == 1) {
                throw new ScriptError(line, "expect needs an expression");
            }
            return expect(line, text, String.join(" ", units.subList(1, units.size())), vars, constants);
        }
        if (first.equals("require")) {
            if (units.size() != 3 || !units.get(1).equals("arch")) {
                throw new ScriptError(line, "write 'require arch NAME'");
            }
            Arch a = Arch.byCliName(units.get(2));
            if (a == null) {
                throw new ScriptError(line, "unknown arch '" + units.get(2) + "'");
            }
            return new RequireArch(line, text, a);
        }
        String target = null;
        int at = 0;
        if (units.size() >= 2 && units.get(1).equals("=")) {
            target = first;
            if (!isIdentifier(target) || target.contains(".")) {
                throw new ScriptError(line, "cannot assign to '" + target + "'");
            }
            if (constants.contains(target)) {
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
            throw new ScriptError(line, "unknown operation '" + opName + "' (one of "
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
            expectation = expectation(line, String.join(" ", ex), vars, constants);
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
                    named.put(key, ExprParser.parse(line, val, vars, constants));
                } else if (op.namedWords().contains(key)) {
                    namedWords.put(key, val);
                } else {
                    throw new ScriptError(line, opName + " has no argument '" + key + "'");
                }
                continue;
            }
            if (op.flags().contains(u)) {
                flags.add(u);
                continue;
            }
            if (pos >= op.params().size()) {
                throw new ScriptError(line, opName + " takes " + op.params().size()
                        + " argument" + (op.params().size() == 1 ? "" : "s") + ", got more: '" + u + "'");
            }
            P p = op.params().get(pos);
            if (p == P.EXPR) {
                args.add(ExprParser.parse(line, u, vars, constants));
            } else {
                if (op.words() != null && !op.words().contains(u)) {
                    throw new ScriptError(line, opName + " takes " + String.join(" or ", op.words())
                            + ", not '" + u + "'");
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
            throw new ScriptError(line, "unknown device '" + words.get(0) + "'");
        }
        if (namedWords.containsKey("arg") && !namedWords.get("arg").matches("([0-9a-fA-F]{2})*")) {
            throw new ScriptError(line, "arg= takes hex bytes, e.g. arg=2000000000000000");
        }
        return new Call(line, text, target, opName, args, words, named, namedWords, flags, expectation);
    }

    private static Expectation expectation(int line, String s, Set<String> vars, Set<String> constants) {
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
                        + "'path/file.c:function' or 'function', not '" + fn + "'");
            }
            return Expectation.kernelBug(fn);
        }
        if (s.equals("SIGBUS") || s.equals("SIGSEGV")) {
            return Expectation.signal(s);
        }
        if (s.matches("E[A-Z0-9]+")) {
            int e = Errno.byName(s);
            if (e < 0) {
                throw new ScriptError(line, "unknown errno '" + s + "'");
            }
            return Expectation.errno(e);
        }
        return Expectation.value(ExprParser.parse(line, s, vars, constants));
    }

    private static Expect expect(int line, String text, String s, Set<String> vars, Set<String> constants) {
        ExprParser.Condition c = ExprParser.parseCondition(line, s, vars, constants);
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
