package vfiowb.common.stage;

import java.util.List;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;

/**
 * One stage of the series, as a module provides it: a {@code ServiceLoader} service
 * ({@code META-INF/services/vfiowb.common.stage.Stage}) found by {@link Stages}.
 */
public interface Stage {
    /**
     * 1 to 5, unique among the stages of the series; for a variant ({@link #variant()}), the
     * number of the stage it sits on, whose rules it keeps.
     */
    int number();

    /**
     * Null for a stage of the series. For a variant, its name ({@code wc-cookie}): a design
     * built on stage {@link #number()} the way an RFC sits on a series, compared with other
     * variants of the same stage rather than followed by the next stage.
     */
    default String variant() {
        return null;
    }

    /** What {@code --stage} takes: the number of a stage of the series, a variant's name. */
    default String name() {
        return variant() == null ? String.valueOf(number()) : variant();
    }

    /** For people: {@code stage 3}, or {@code wc-cookie (RFC on stage 5)}. */
    default String label() {
        return variant() == null ? "stage " + number() : variant() + " (RFC on stage " + number() + ")";
    }

    /** The Maven module ({@code step3-maple-core}). */
    String module();

    /** One line for people. */
    String title();

    /** The subjects of the patches this stage adds, in order. */
    List<String> patchSubjects();

    /** The Java package all of this stage's code lives under ({@code vfiowb.step3}). */
    String packageRoot();

    /** Boots a machine of {@code arch} with {@code devices} bound to this stage's drivers. */
    VfioHost boot(Arch arch, List<DeviceSpec> devices);

    /**
     * Boots under {@code policy}. A stage without the cookie tree honours only the placement
     * (mm's), which every host carries; a stage with the tree overrides this to honour the rest.
     */
    default VfioHost boot(Arch arch, List<DeviceSpec> devices, SeriesPolicy policy) {
        VfioHost host = boot(arch, devices);
        return host instanceof BootedHost b ? b.withPolicy(policy) : host;
    }

    /** The policy knobs ({@link SeriesPolicy#knobs()}) whose value changes this stage. */
    default List<String> policyKnobs() {
        return List.of("placement");
    }
}
