package vfiowb.workbench;

import java.util.List;
import java.util.stream.Collectors;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.WcUapi;

/**
 * The stages the series is planned to have (DESIGN, docs/architecture.md), written or not. A
 * stage is written once its module provides a {@link Stage} on the class path; until then the
 * command line names it as not written yet instead of as unknown.
 */
public final class SeriesPlan {
    /** A planned stage: its number, module and what it will do. */
    public record Planned(int number, String module, String plan) {}

    private static final List<Planned> PLAN = List.of(
            new Planned(1, "step1-region-info-op", "VFIO_DEVICE_GET_REGION_INFO gets its own op"),
            new Planned(2, "step2-driver-conversions", "every driver converted to the op"),
            new Planned(3, "step3-maple-core", "a per-file maple tree of mmap cookies and the "
                    + "mmap_obj op"),
            new Planned(4, "step4-mmap-obj", "every driver converted to the mmap cookie ops"),
            new Planned(5, "step5-cleanup", "the old mmap op, offset encodings and transitional "
                    + "paths removed"));

    /** A planned variant: its name (also its module), the stage it sits on, what it does. */
    public record PlannedVariant(String name, int on, String plan) {}

    private static final List<PlannedVariant> VARIANTS = java.util.Arrays.stream(WcUapi.values())
            .map(w -> new PlannedVariant(w.variant(), 5, "write-combining for host userspace: "
                    + w.design() + " (" + w.proposer() + ")"))
            .toList();

    private SeriesPlan() {}

    /** The planned variants no module on the class path provides yet. */
    public static List<PlannedVariant> variantsNotWritten(List<Stage> written) {
        return VARIANTS.stream().filter(p -> written.stream().noneMatch(v -> p.name().equals(v.variant())))
                .toList();
    }

    /** Why there is no variant {@code name}: not written yet, or not planned; null if planned and unknown. */
    public static String noVariant(String name, List<Stage> written) {
        for (PlannedVariant p : variantsNotWritten(written)) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return "variant " + p.name() + " (RFC on stage " + p.on() + ": " + p.plan()
                        + ") is not written yet";
            }
        }
        return null;
    }

    /** Every planned stage, in order. */
    public static List<Planned> all() {
        return PLAN;
    }

    /** The planned stages no module on the class path provides yet. */
    public static List<Planned> notWritten(List<Stage> written) {
        return PLAN.stream().filter(p -> written.stream().noneMatch(s -> s.number() == p.number()))
                .toList();
    }

    /**
     * Why there is no stage {@code n}: not written yet, or not part of the plan; with the stages
     * there are.
     */
    public static String noStage(int n, List<Stage> written) {
        String have = written.stream().map(s -> String.valueOf(s.number()))
                .collect(Collectors.joining(", "));
        for (Planned p : notWritten(written)) {
            if (p.number() == n) {
                return "stage " + n + " (" + p.module() + ": " + p.plan() + ") is not written yet; "
                        + "the stages written are " + have;
            }
        }
        return "no stage " + n + " (the series plans stages 1 to " + PLAN.size()
                + "; the stages written are " + have + ")";
    }
}
