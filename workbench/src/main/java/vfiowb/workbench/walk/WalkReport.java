package vfiowb.workbench.walk;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import vfiowb.common.conformance.TranscriptDiff;
import vfiowb.common.errno.KernelBug;
import vfiowb.workbench.KernelBugs;
import vfiowb.workbench.Style;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.trace.CallTree;

/** The three forms of a walk: text for the terminal, Markdown to paste, JSON for programs. */
public final class WalkReport {
    private static final int FUNCTION_COLUMN = 52;

    private WalkReport() {}

    private static String title(Walk.Result r) {
        return "walk: " + r.client().name() + " client on " + r.device().name() + " ("
                + r.device().driver() + ", " + r.device().opsTable() + ") at stage "
                + r.stage().name() + " (" + r.stage().module() + ") on " + r.arch().cliName();
    }

    private static String mappingLine(Walk.MappingState m, Walk.Result r) {
        return "map " + m.map() + "  " + Json.hex(m.addr()) + "-" + Json.hex(m.addr()
                + r.arch().pageAlign(m.length())) + "  " + (m.region() == null ? "anonymous" : m.region())
                + "  " + (m.pgprot() == null ? "-" : m.pgprot().name() + " ("
                + m.pgprot().memoryType(r.arch()) + ")") + "  " + Narration.levelsText(m.pageTable());
    }

    /** Text for people. */
    public static void text(Walk.Result r, Comparison c, Style st, PrintWriter out) {
        out.println(st.bold(title(r)));
        out.println("  " + r.client().description());
        for (Narration.Step s : r.steps()) {
            out.println();
            out.println(st.bold("[" + s.seq() + "]") + " " + s.text());
            for (CallTree.Line l : s.kernel().lines()) {
                String fn = "  ".repeat(l.depth() + 3) + l.frame().label();
                out.println(pad(fn, FUNCTION_COLUMN) + " " + st.dim(l.frame().file()));
            }
            if (s.driver() != null) {
                Object by = ((java.util.Map<?, ?>) s.json().get("driver")).get("calledBy");
                out.println("      driver reached: " + st.note(s.driver().label()) + " ("
                        + r.device().opsTable() + ")" + (by == null ? "" : ", called by " + by));
            }
            if (s.raw().mapping() != null && s.raw().pgprot() != null) {
                out.println("      map " + ((java.util.Map<?, ?>) s.json().get("mapping")).get("map")
                        + ": pgprot " + s.raw().pgprot().name() + " (" + s.raw().pgprot().memoryType(r.arch())
                        + "), page tables: " + Narration.levelsText(s.raw().pageTable()));
            }
            for (String n : s.raw().notes()) {
                out.println("      cookie: " + n);
            }
            if (s.raw().mapleAfter() != null
                    && !s.raw().mapleAfter().equals(s.raw().mapleBefore())) {
                out.println("      maple tree now: " + s.raw().mapleAfter());
            }
        }
        out.println();
        out.println(r.clientError() == null ? "the client finished."
                : st.note("the client gave up: " + r.clientError()));
        for (KernelBug b : r.kernelBugs()) {
            out.println(st.note("upstream " + KernelBugs.line(b)));
        }
        if (r.account() != null && !r.account().lines().isEmpty()) {
            out.println();
            out.println(st.bold("the client's own account") + " (what it saw and decided):");
            for (String l : r.account().lines()) {
                out.println("  " + l);
            }
        }
        out.println();
        out.println(st.bold("mappings at the end") + (r.mappings().isEmpty() ? ": none" : ":"));
        for (Walk.MappingState m : r.mappings()) {
            out.println("  " + mappingLine(m, r));
        }
        out.println();
        comparisonText(r, c, st, out);
    }

    private static void comparisonText(Walk.Result r, Comparison c, Style st, PrintWriter out) {
        if (c == null) {
            return;
        }
        out.println(st.bold(c.previous() < 1 ? "compared with the previous stage"
                : "compared with stage " + c.previous()) + ":");
        if (c.note() != null) {
            out.println("  nothing to compare: " + c.note());
            return;
        }
        if (!c.differs()) {
            out.println("  no difference: the same calls and results, through the same kernel functions.");
            return;
        }
        if (Comparison.changes(c.userspace())) {
            out.println("  userspace transcript (regions by index, no addresses):");
            for (TranscriptDiff.Edit e : c.userspace()) {
                if (e.op() != ' ') {
                    String line = "    " + e.op() + " " + e.line();
                    out.println(e.op() == '-' ? st.fail(line) : st.pass(line));
                }
            }
        } else {
            out.println("  userspace transcript: identical.");
        }
        if (!c.kernel().isEmpty()) {
            out.println("  kernel paths of calls made alike:");
            for (Comparison.KernelChange k : c.kernel()) {
                out.println("    [" + k.seq() + "] " + k.call());
                for (String f : k.removed()) {
                    out.println(st.fail("        - " + f));
                }
                for (String f : k.added()) {
                    out.println(st.pass("        + " + f));
                }
            }
        }
    }

    /** Markdown for a review mail or an issue. */
    public static void markdown(Walk.Result r, Comparison c, PrintWriter out) {
        out.println("## " + title(r));
        out.println();
        out.println(r.client().description() + ".");
        out.println();
        out.println("| # | call | driver reached |");
        out.println("|---|------|----------------|");
        for (Narration.Step s : r.steps()) {
            out.println("| " + s.seq() + " | `" + s.text().replace("|", "\\|") + "` | "
                    + (s.driver() == null ? "" : "`" + s.driver().label() + "`") + " |");
        }
        out.println();
        out.println(r.clientError() == null ? "The client finished."
                : "The client gave up: " + r.clientError() + ".");
        for (KernelBug b : r.kernelBugs()) {
            out.println();
            out.println("**Upstream " + KernelBugs.line(b) + "**");
        }
        if (r.account() != null && !r.account().lines().isEmpty()) {
            out.println();
            out.println("### The client's own account");
            out.println();
            out.println("```");
            r.account().lines().forEach(out::println);
            out.println("```");
        }
        out.println();
        out.println("### Kernel paths");
        for (Narration.Step s : r.steps()) {
            if (s.kernel().isEmpty()) {
                continue;
            }
            out.println();
            out.println("**[" + s.seq() + "]** `" + s.text() + "`");
            out.println();
            out.println("```");
            for (CallTree.Line l : s.kernel().lines()) {
                out.println(pad("  ".repeat(l.depth()) + l.frame().label(), FUNCTION_COLUMN - 6) + " "
                        + l.frame().file());
            }
            out.println("```");
        }
        out.println();
        out.println("### Mappings at the end");
        out.println();
        if (r.mappings().isEmpty()) {
            out.println("None.");
        } else {
            out.println("| map | address | region | pgprot | page-table entries |");
            out.println("|-----|---------|--------|--------|--------------------|");
            for (Walk.MappingState m : r.mappings()) {
                out.println("| " + m.map() + " | `" + Json.hex(m.addr()) + "` | "
                        + (m.region() == null ? "anonymous" : m.region()) + " | "
                        + (m.pgprot() == null ? "-" : m.pgprot().name() + " (" + m.pgprot().memoryType(r.arch()) + ")")
                        + " | " + Narration.levelsText(m.pageTable()) + " |");
            }
        }
        if (c != null) {
            out.println();
            out.println(c.previous() < 1 ? "### Compared with the previous stage"
                    : "### Compared with stage " + c.previous());
            out.println();
            if (c.note() != null) {
                out.println("Nothing to compare: " + c.note() + ".");
            } else if (!c.differs()) {
                out.println("No difference: the same calls and results, through the same kernel functions.");
            } else {
                out.println("```diff");
                for (TranscriptDiff.Edit e : c.userspace()) {
                    if (e.op() != ' ') {
                        out.println(e.op() + " " + e.line());
                    }
                }
                for (Comparison.KernelChange k : c.kernel()) {
                    out.println("  [" + k.seq() + "] " + k.call());
                    k.removed().forEach(f -> out.println("-     " + f));
                    k.added().forEach(f -> out.println("+     " + f));
                }
                out.println("```");
            }
        }
    }

    /** The walk as one JSON object. */
    public static Json.Obj json(Walk.Result r, Comparison c) {
        List<Object> calls = new ArrayList<>();
        for (Narration.Step s : r.steps()) {
            Json.Obj o = Json.obj();
            o.putAll(s.json());
            o.put("text", s.text()).put("normalized", s.normalized());
            calls.add(o);
        }
        List<Object> maps = new ArrayList<>();
        for (Walk.MappingState m : r.mappings()) {
            maps.add(Json.obj().put("map", m.map()).put("addr", Json.hex(m.addr()))
                    .put("length", Json.hex(m.length())).put("region", m.region())
                    .put("pgprot", m.pgprot() == null ? null : m.pgprot().name())
                    .put("memoryType", m.pgprot() == null ? null : m.pgprot().memoryType(r.arch()))
                    .put("pageTable", Narration.levels(m.pageTable())));
        }
        Json.Obj o = Json.obj().put("client", r.client().name()).put("device", r.device().name())
                .put("driver", r.device().driver()).put("opsTable", r.device().opsTable())
                .put("stage", r.stage().number()).put("variant", r.stage().variant())
                .put("module", r.stage().module())
                .put("arch", r.arch().cliName()).put("calls", calls)
                .put("clientError", r.clientError())
                .put("kernelBugs", r.kernelBugs().stream().map(KernelBugs::json).toList())
                .put("mappings", maps)
                .put("account", r.account() == null ? List.of() : r.account().lines());
        if (c != null) {
            List<Object> us = new ArrayList<>();
            for (TranscriptDiff.Edit e : c.userspace()) {
                if (e.op() != ' ') {
                    us.add(Json.obj().put("op", String.valueOf(e.op())).put("line", e.line()));
                }
            }
            List<Object> ks = new ArrayList<>();
            for (Comparison.KernelChange k : c.kernel()) {
                ks.add(Json.obj().put("seq", k.seq()).put("call", k.call()).put("removed", k.removed())
                        .put("added", k.added()));
            }
            o.put("previous", Json.obj().put("stage", c.previous()).put("note", c.note())
                    .put("differs", c.differs()).put("userspace", us).put("kernel", ks));
        }
        return o;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
