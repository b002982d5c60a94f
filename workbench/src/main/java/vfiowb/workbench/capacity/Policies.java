package vfiowb.workbench.capacity;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;

/** The policies a capacity table compares, and a policy as a stage sees it. */
public final class Policies {
    private Policies() {}

    /**
     * What {@code capacity} compares without {@code --policy}: the default; the packed layout
     * with each alignment strategy (alignment only matters where the core allocates a range,
     * which under the legacy layout happens only to regions over 1 TiB); byte keys; and mm's
     * two other placements. {@code create} stays at its default: a client that probes every
     * region places the same cookies either way.
     */
    public static List<SeriesPolicy> compared() {
        SeriesPolicy d = SeriesPolicy.DEFAULT;
        SeriesPolicy packed = d.withLayout(SeriesPolicy.Layout.PACKED);
        return List.of(d, packed,
                packed.withAlign(SeriesPolicy.Align.OVERSIZE),
                packed.withAlign(SeriesPolicy.Align.NONE),
                d.withKeys(SeriesPolicy.Keys.BYTES),
                d.withPlacement(SeriesPolicy.Placement.PMD),
                d.withPlacement(SeriesPolicy.Placement.PAGE));
    }

    /**
     * {@code policy} with every knob {@code stage} does not honour ({@link Stage#policyKnobs()})
     * at its default: two policies that differ only there boot the same kernel.
     */
    public static SeriesPolicy effective(Stage stage, SeriesPolicy policy) {
        List<String> knobs = stage.policyKnobs();
        SeriesPolicy d = SeriesPolicy.DEFAULT;
        return new SeriesPolicy(
                knobs.contains("create") ? policy.create() : d.create(),
                knobs.contains("layout") ? policy.layout() : d.layout(),
                knobs.contains("align") ? policy.align() : d.align(),
                knobs.contains("keys") ? policy.keys() : d.keys(),
                knobs.contains("placement") ? policy.placement() : d.placement());
    }

    /** {@code layout=packed,placement=pmd}: the knobs that differ from the default, or {@code default}. */
    public static String label(SeriesPolicy policy) {
        List<String> parts = new ArrayList<>();
        SeriesPolicy d = SeriesPolicy.DEFAULT;
        if (policy.create() != d.create()) {
            parts.add("create=" + policy.create());
        }
        if (policy.layout() != d.layout()) {
            parts.add("layout=" + policy.layout());
        }
        if (policy.align() != d.align()) {
            parts.add("align=" + policy.align());
        }
        if (policy.keys() != d.keys()) {
            parts.add("keys=" + policy.keys());
        }
        if (policy.placement() != d.placement()) {
            parts.add("placement=" + policy.placement());
        }
        return parts.isEmpty() ? "default" : String.join(",", parts);
    }
}
