package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.conformance.TranscriptDiff;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.oracle.OracleReplay;
import vfiowb.common.oracle.OracleTranscript;
import vfiowb.common.stage.PolicyStage;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.conform.Suite;

/**
 * Stage 5 only removes code no path reaches: every transcript of every catalogue device
 * (clients, profile, scenarios) is the same at stages 4 and 5, line for line, with no
 * declaration, under every value of every policy knob and on every arch; and the real-kernel
 * replay finds the same differences (the ones stage 3 declared) at both.
 */
class StageFourFiveIdenticalTest {
    /**
     * The default on every arch, then each knob's other values one at a time (the knobs act
     * independently in the core: each picks one branch of vfio_df_mmap_install or of mm), and
     * the two 32-bit combinations whose answers differ most.
     */
    static Stream<Arguments> cases() {
        SeriesPolicy d = SeriesPolicy.DEFAULT;
        List<Arguments> out = new ArrayList<>();
        for (Arch arch : Arch.values()) {
            out.add(Arguments.of(arch, d));
        }
        out.add(Arguments.of(Arch.X86_64, d.withCreate(SeriesPolicy.Create.REGION_INFO)));
        out.add(Arguments.of(Arch.X86_64, d.withLayout(SeriesPolicy.Layout.PACKED)));
        out.add(Arguments.of(Arch.X86_64, d.withAlign(SeriesPolicy.Align.OVERSIZE)));
        out.add(Arguments.of(Arch.X86_64, d.withAlign(SeriesPolicy.Align.NONE)));
        out.add(Arguments.of(Arch.X86_64, d.withKeys(SeriesPolicy.Keys.BYTES)));
        out.add(Arguments.of(Arch.X86_64, d.withPlacement(SeriesPolicy.Placement.PMD)));
        out.add(Arguments.of(Arch.X86_64, d.withPlacement(SeriesPolicy.Placement.PAGE)));
        out.add(Arguments.of(Arch.I386, d.withLayout(SeriesPolicy.Layout.PACKED)));
        out.add(Arguments.of(Arch.I386, d.withKeys(SeriesPolicy.Keys.BYTES)
                .withCreate(SeriesPolicy.Create.REGION_INFO)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyTranscriptIsTheSame(Arch arch, SeriesPolicy policy) {
        Map<String, Suite.Run> four = byKey(Suite.run(
                new PolicyStage(Stages.byNumber(4), policy), arch, DeviceCatalogue.all()));
        Map<String, Suite.Run> five = byKey(Suite.run(
                new PolicyStage(Stages.byNumber(5), policy), arch, DeviceCatalogue.all()));
        assertEquals(four.keySet(), five.keySet());
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Suite.Run> e : five.entrySet()) {
            for (TranscriptDiff.Edit d : TranscriptDiff.edits(four.get(e.getKey()).transcript(),
                    e.getValue().transcript())) {
                if (d.op() != ' ') {
                    changed.add(e.getKey() + ": " + d.op() + " " + d.line());
                }
            }
        }
        assertTrue(changed.isEmpty(), changed.size() + " lines differ:\n"
                + String.join("\n", changed.subList(0, Math.min(40, changed.size()))));
        assertTrue(five.values().stream().mapToInt(r -> r.transcript().size()).sum() > 1000,
                "the comparison covers the suite");
    }

    @Test
    void theRealKernelReplayFindsTheSameDifferences() {
        for (OracleTranscript t : OracleTranscript.all()) {
            OracleReplay.Result four = OracleReplay.run(Stages.byNumber(4), t);
            OracleReplay.Result five = OracleReplay.run(Stages.byNumber(5), t);
            assertEquals(four.replayed(), five.replayed(), t.device());
            assertEquals(four.differences().toString(), five.differences().toString(),
                    t.device());
        }
    }

    private static Map<String, Suite.Run> byKey(List<Suite.Run> runs) {
        Map<String, Suite.Run> m = new LinkedHashMap<>();
        runs.forEach(r -> m.put(r.device() + " " + r.key(), r));
        return m;
    }
}
