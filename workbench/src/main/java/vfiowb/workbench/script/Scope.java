package vfiowb.workbench.script;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vfiowb.common.uapi.VfioRegionInfo;

/**
 * What the parser knows about names while it reads a script top to bottom: the constants, and
 * for each variable the operation that assigns it, the fields of that operation's result and
 * whether the variable has a value at all (a line that expects its call to fail assigns
 * nothing). With it every name, field and type mistake is found before anything runs.
 */
final class Scope {
    /** What a field of a result holds. */
    enum Kind {
        NUMBER, TEXT, LIST
    }

    /** The result of one operation: whether it has a value of its own, and its fields. */
    record Result(boolean scalar, Map<String, Kind> fields) {}

    /** A variable: the line and operation that last assigned it, and what it holds. */
    record Var(String name, int line, String op, Result result, String failedWith) {}

    private static final Map<String, Result> RESULTS = new HashMap<>();

    static {
        result("open", true, "fd");
        result("close", true);
        result("get_info", false, "argsz", "flags", "flagNames:T", "num_regions", "num_irqs",
                "cap_offset");
        result("region_info", false, "argsz", "flags", "flagNames:T", "index", "cap_offset",
                "size", "offset", "caps:L", "capError:T");
        result("irq_info", false, "argsz", "flags", "flagNames:T", "index", "count");
        result("ioctl", true, "ret");
        result("reset", true, "ret");
        result("pread", true, "ret", "data:T", "value");
        result("pwrite", true, "ret");
        result("mmap", true, "map", "pgprot:T", "pte", "pmd", "pud", "addr", "length");
        result("munmap", true);
        result("load", true, "value");
        result("store", true);
        result("pagetable", true, "map", "pgprot:T", "pte", "pmd", "pud");
        result("touch", true, "map", "pgprot:T", "pte", "pmd", "pud", "faults", "tableKib");
        result("memory", true, "commandBefore", "commandAfter");
        result("wc_map", true, "map", "pgprot:T", "pte", "pmd", "pud", "addr", "length", "fd", "offset",
                "steps:L", "via:T");
        result("probe", true, "pgprot:T", "pte:T", "memtype:T");
    }

    private static void result(String op, boolean scalar, String... fields) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (String f : fields) {
            int colon = f.indexOf(':');
            if (colon < 0) {
                m.put(f, Kind.NUMBER);
            } else {
                m.put(f.substring(0, colon), f.endsWith("T") ? Kind.TEXT : Kind.LIST);
            }
        }
        RESULTS.put(op, new Result(scalar, m));
    }

    private final Set<String> constants;
    private final Map<String, Var> vars = new HashMap<>();

    Scope(Set<String> constants) {
        this.constants = constants;
    }

    boolean isConstant(String name) {
        return constants.contains(name);
    }

    /** The variable {@code name}, or null if no line before this one assigns it. */
    Var var(String name) {
        return vars.get(name);
    }

    /**
     * Records that {@code c} assigns its target: with a value, or with none when the line
     * expects the call to fail.
     */
    void assign(Script.Call c) {
        Result r = RESULTS.get(c.op());
        Map<String, Kind> fields = new LinkedHashMap<>(r.fields());
        if (c.op().equals("region_info") && c.flags().contains("retry")) {
            fields.put("retries", Kind.NUMBER);
        }
        if (c.op().equals("ioctl") && c.namedWords().containsKey("arg")) {
            fields.put("arg", Kind.TEXT);
        }
        Script.Expectation x = c.expect();
        String failed = x == null || x.kind().equals("ok") || x.kind().equals("value") ? null
                : x.show();
        vars.put(c.target(), new Var(c.target(), c.line(), c.op(), new Result(r.scalar(), fields),
                failed));
    }

    /**
     * Checks a name as an expression uses it: a constant, or a variable with a value and (if
     * it has a path) a field its result has. {@code numeric} when the value is used as a number.
     *
     * @throws ScriptError naming what is wrong
     */
    void check(int line, Expr.Name n, boolean numeric) {
        String name = n.name();
        List<String> path = n.path();
        Var v = vars.get(name);
        if (v == null) {
            if (!constants.contains(name)) {
                throw new ScriptError(line, "unknown name '" + Script.excerpt(name) + "' (not assigned before this "
                        + "line and not a constant)");
            }
            if (!path.isEmpty()) {
                throw new ScriptError(line, "'" + name + "' is a constant and has no fields");
            }
            return;
        }
        if (v.failedWith() != null) {
            throw new ScriptError(line, "'" + name + "' has no value: line " + v.line()
                    + " expects its " + v.op() + " to fail (" + v.failedWith()
                    + "), so it assigns nothing");
        }
        Map<String, Kind> fields = v.result().fields();
        if (path.isEmpty()) {
            if (!v.result().scalar()) {
                throw new ScriptError(line, "'" + name + "' is the whole " + v.op()
                        + " result; name a field, e.g. " + name + "."
                        + fields.keySet().iterator().next());
            }
            return;
        }
        String shown = Script.excerpt(name + "." + String.join(".", path));
        String first = path.get(0);
        if (first.equals("cap") && v.op().equals("region_info")) {
            if (path.size() < 2) {
                throw new ScriptError(line, shown + ": name a capability, e.g. " + name
                        + ".cap.SPARSE_MMAP");
            }
            if (!capNames().contains(path.get(1))) {
                throw new ScriptError(line, shown + ": no capability '" + path.get(1) + "' ("
                        + String.join(", ", capNames()) + ")");
            }
            return;
        }
        Kind k = fields.get(first);
        if (k == null) {
            throw new ScriptError(line, shown + ": no field '" + first + "' (fields: "
                    + String.join(", ", fields.keySet()) + ")");
        }
        if (path.size() > 1 && k != Kind.LIST) {
            throw new ScriptError(line, shown + ": '" + path.get(1) + "' is not a field here ("
                    + name + "." + first + " is a " + (k == Kind.TEXT ? "text" : "number") + ")");
        }
        if (path.size() > 1 && !path.get(1).matches("\\d{1,9}")) {
            throw new ScriptError(line, shown + ": " + name + "." + first + " is a list; index it "
                    + "with a number (" + name + "." + first + ".0)");
        }
        if (first.equals("caps") && path.size() > 1
                && Long.parseLong(path.get(1)) >= capNames().size()) {
            throw new ScriptError(line, shown + ": a region reports at most one capability of "
                    + "each of the " + capNames().size() + " ids, so " + name + ".caps has no entry "
                    + path.get(1) + " (0 to " + (capNames().size() - 1) + ")");
        }
        if (numeric && path.size() == 1 && k == Kind.TEXT) {
            throw new ScriptError(line, shown + " is text; compare it with a quoted string "
                    + "(== or !=)");
        }
    }

    /** The region capability names {@code r.cap.NAME} accepts. */
    static List<String> capNames() {
        List<String> names = new java.util.ArrayList<>();
        for (int id = 1; !VfioRegionInfo.capName(id).startsWith("cap "); id++) {
            names.add(VfioRegionInfo.capName(id));
        }
        return names;
    }

    /** Whether {@code op}'s result has a value of its own, for {@code expect VALUE}. */
    static boolean hasScalar(String op) {
        return RESULTS.get(op).scalar();
    }
}
