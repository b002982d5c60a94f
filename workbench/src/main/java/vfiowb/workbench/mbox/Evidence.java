package vfiowb.workbench.mbox;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vfiowb.workbench.Workbench;
import vfiowb.workbench.json.Json;

/**
 * Workbench commands run in this process, each once, as the generated mails cite them: the
 * numbers and transcripts of a cover letter are what these runs print. A command is its
 * arguments after {@code vfio-workbench}; an argument naming a file of the repository
 * ({@code scenarios/two-tib-bar-every-byte.vfio}) is passed as its absolute path, and that path
 * is written back as the argument in what the command printed, so the output reads as it would
 * at the repository root.
 */
public final class Evidence {
    /** What one command printed and its exit code. */
    public record Run(List<String> args, int exit, String out, String err) {
        public Run {
            args = List.copyOf(args);
        }

        /** The command as a user types it at the repository root. */
        public String display() {
            return display(args);
        }

        /** {@code vfio-workbench ARGS}, an argument with blanks in single quotes. */
        public static String display(List<String> args) {
            StringBuilder sb = new StringBuilder("vfio-workbench");
            for (String a : args) {
                sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:+-]+") ? a : "'" + a + "'");
            }
            return sb.toString();
        }

        /** Standard output as one JSON value. */
        public Object json() {
            return Json.parse(out);
        }

        /** Standard output as JSON lines (the transcript of {@code run}). */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> jsonLines() {
            List<Map<String, Object>> outList = new ArrayList<>();
            for (String l : out.split("\n")) {
                if (!l.isBlank()) {
                    outList.add((Map<String, Object>) Json.parse(l));
                }
            }
            return outList;
        }

        /** Every line printed, standard output first, then standard error. */
        public List<String> lines() {
            List<String> all = new ArrayList<>(List.of(out.split("\n", -1)));
            all.addAll(List.of(err.split("\n", -1)));
            return all;
        }
    }

    private final Path root;
    private final Map<List<String>, Run> cache = new HashMap<>();
    private final Map<String, Object> memos = new HashMap<>();

    /** Runs commands for the repository at {@code root}. */
    public Evidence(Path root) {
        this.root = root;
    }

    /** The repository the commands name files of. */
    public Path root() {
        return root;
    }

    /**
     * What {@code vfio-workbench ARGS} prints, run once per generation. An exit code of 2 or 3
     * (the arguments are wrong, or the model broke) is a bug of the caller.
     */
    public Run run(List<String> args) {
        Run r = cache.get(args);
        if (r == null) {
            r = runFresh(root, args);
            cache.put(List.copyOf(args), r);
        }
        return r;
    }

    /**
     * A value computed once per evidence under {@code key} (the classes of a stage, a rule's
     * result), so that several mails of one generation, or several generations sharing this
     * evidence, compute it once.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, java.util.function.Supplier<T> compute) {
        Object v = memos.get(key);
        if (v == null) {
            v = compute.get();
            memos.put(key, v);
        }
        return (T) v;
    }

    /** {@link #run(List)} with the arguments inline. */
    public Run run(String... args) {
        return run(List.of(args));
    }

    /** A fresh run, never cached: what a test compares a generated letter with. */
    public static Run runFresh(Path root, List<String> args) {
        List<String> actual = new ArrayList<>();
        Map<String, String> back = new HashMap<>();
        for (String a : args) {
            Path p = root.resolve(a);
            if (!a.startsWith("-") && !Path.of(a).isAbsolute() && a.contains("/") && Files.isRegularFile(p)) {
                String abs = p.toAbsolutePath().normalize().toString();
                actual.add(abs);
                back.put(abs, a);
            } else {
                actual.add(a);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Workbench.run(new PrintWriter(out), new PrintWriter(err), actual.toArray(new String[0]));
        String o = out.toString();
        String e = err.toString();
        for (var b : back.entrySet()) {
            o = o.replace(b.getKey(), b.getValue());
            e = e.replace(b.getKey(), b.getValue());
        }
        if (code == Workbench.USAGE || code == Workbench.INTERNAL) {
            throw new IllegalStateException(Run.display(args) + " exited " + code + ": " + e.strip());
        }
        return new Run(args, code, o, e);
    }
}
