package vfiowb.workbench.errnos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.userspace.Process;

/**
 * The errno parity table: for each {@link BadInput} and each ops table, what the model answers
 * at each stage (computed by running the probe on a representative catalogue device of the
 * table) against what the kernel answers and in which function ({@link KernelAnswers}, from
 * kernel-facts §D and the kernel sources the model cites), with every difference explained by
 * a {@link KernelAnswers.Declared} or reported as unexplained.
 */
public final class ErrnoParity {
    /**
     * One row: the tables that answer {@code input} alike at every stage.
     *
     * @param model the model's answer per stage number
     * @param explanation why the model differs from the kernel where it does, else null
     */
    public record Row(BadInput input, List<String> tables, KernelAnswers.Answer kernel,
            Map<Integer, String> model, String explanation) {
        /** Whether every stage answers what the kernel does. */
        public boolean same() {
            return model.values().stream().allMatch(kernel.errno()::equals);
        }

        /** A difference without an explanation. */
        public boolean unexplained() {
            return !same() && explanation == null;
        }
    }

    /** The table: the stages and architecture measured and the rows. */
    public record Table(List<Integer> stages, Arch arch, List<Row> rows) {
        public long unexplained() {
            return rows.stream().filter(Row::unexplained).count();
        }
    }

    private ErrnoParity() {}

    /**
     * The catalogue device each ops table is measured on: its first entry that has a region
     * userspace may map, else its first entry. Tables in catalogue order.
     */
    public static Map<String, DeviceSpec> representatives(Stage anyStage, Arch arch) {
        Map<String, DeviceSpec> first = new LinkedHashMap<>();
        Map<String, DeviceSpec> mappable = new LinkedHashMap<>();
        for (DeviceSpec d : DeviceCatalogue.on(arch)) {
            first.putIfAbsent(d.opsTable(), d);
            if (!mappable.containsKey(d.opsTable()) && hasMappable(anyStage, arch, d)) {
                mappable.put(d.opsTable(), d);
            }
        }
        Map<String, DeviceSpec> out = new LinkedHashMap<>();
        for (Map.Entry<String, DeviceSpec> e : first.entrySet()) {
            out.put(e.getKey(), mappable.getOrDefault(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static boolean hasMappable(Stage s, Arch arch, DeviceSpec d) {
        try {
            Process p = new Process(s.boot(arch, List.of(d)));
            return BadInput.firstMappable(p, p.open(d.name())) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs every probe on every table at every stage given and builds the rows. */
    public static Table measure(List<Stage> stages, Arch arch) {
        Map<String, DeviceSpec> reps = representatives(stages.get(stages.size() - 1), arch);
        // input -> table -> stage -> answer
        Map<BadInput, Map<String, Map<Integer, String>>> answers = new LinkedHashMap<>();
        for (BadInput in : BadInput.all()) {
            answers.put(in, new LinkedHashMap<>());
        }
        for (Map.Entry<String, DeviceSpec> e : reps.entrySet()) {
            for (Stage s : stages) {
                for (BadInput in : BadInput.all()) {
                    Process p = new Process(s.boot(arch, List.of(e.getValue())));
                    int fd = p.open(e.getValue().name());
                    answers.get(in).computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                            .put(s.number(), in.probe(p, fd));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (BadInput in : BadInput.all()) {
            // Group the tables that share kernel answer, model answers and explanation.
            Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
            Map<List<Object>, Row> protos = new LinkedHashMap<>();
            for (Map.Entry<String, Map<Integer, String>> t : answers.get(in).entrySet()) {
                String table = t.getKey();
                KernelAnswers.Answer k = KernelAnswers.kernel(in, table);
                String why = explanation(in, table, k, t.getValue());
                List<Object> key = List.of(k, t.getValue(), Objects.toString(why));
                groups.computeIfAbsent(key, x -> new ArrayList<>()).add(table);
                protos.putIfAbsent(key, new Row(in, List.of(), k, t.getValue(), why));
            }
            for (Map.Entry<List<Object>, List<String>> g : groups.entrySet()) {
                Row p = protos.get(g.getKey());
                rows.add(new Row(in, List.copyOf(g.getValue()), p.kernel(), p.model(),
                        p.explanation()));
            }
        }
        List<Integer> numbers = stages.stream().map(Stage::number).toList();
        return new Table(numbers, arch, rows);
    }

    /**
     * The explanation of every stage whose answer differs from the kernel's, joined; null when
     * none differs or when some difference has no declaration.
     */
    private static String explanation(BadInput in, String table, KernelAnswers.Answer k,
            Map<Integer, String> model) {
        Set<String> whys = new java.util.LinkedHashSet<>();
        for (Map.Entry<Integer, String> e : model.entrySet()) {
            if (e.getValue().equals(k.errno())) {
                continue;
            }
            KernelAnswers.Declared d = KernelAnswers.declared(in, table, e.getKey(), e.getValue());
            if (d == null) {
                return null;
            }
            whys.add(d.why());
        }
        return whys.isEmpty() ? null : String.join(" ", whys);
    }
}
