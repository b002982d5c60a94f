package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.conformance.TranscriptDiff;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.PolicyStage;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.conform.Declared;
import vfiowb.workbench.conform.Suite;

/**
 * Stage 3 against stage 2 under the policies and arches whose answers differ: every transcript
 * of every catalogue device (clients, profile, scenarios) is the same at both stages, line for
 * line, except lines a declaration of {@link Declared} covers for that policy and arch. The full
 * matrix is `conform --stage all --policy P --arch A` (docs/stage3.md).
 */
class StageTwoThreeUnderPoliciesTest {
    static Stream<Arguments> cases() {
        SeriesPolicy d = SeriesPolicy.DEFAULT;
        return Stream.of(
                Arguments.of(Arch.X86_64, d),
                Arguments.of(Arch.X86_64, d.withLayout(SeriesPolicy.Layout.PACKED)),
                Arguments.of(Arch.X86_64, d.withLayout(SeriesPolicy.Layout.PACKED)
                        .withCreate(SeriesPolicy.Create.REGION_INFO)
                        .withAlign(SeriesPolicy.Align.OVERSIZE)),
                Arguments.of(Arch.X86_64, d.withCreate(SeriesPolicy.Create.REGION_INFO)
                        .withKeys(SeriesPolicy.Keys.BYTES)),
                Arguments.of(Arch.I386, d),
                Arguments.of(Arch.I386, d.withLayout(SeriesPolicy.Layout.PACKED)),
                Arguments.of(Arch.I386, d.withKeys(SeriesPolicy.Keys.BYTES)),
                Arguments.of(Arch.ARM64_64K, d.withLayout(SeriesPolicy.Layout.PACKED)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyChangedLineIsDeclared(Arch arch, SeriesPolicy policy) {
        Stage two = new PolicyStage(Stages.byNumber(2), policy);
        Stage three = new PolicyStage(Stages.byNumber(3), policy);
        Map<String, Suite.Run> before = byKey(Suite.run(two, arch, DeviceCatalogue.all()));
        Map<String, Suite.Run> after = byKey(Suite.run(three, arch, DeviceCatalogue.all()));
        Declared.Context ctx = new Declared.Context(arch, policy);
        List<String> undeclared = new ArrayList<>();
        Set<Declared.Difference> used = new HashSet<>();
        for (Map.Entry<String, Suite.Run> e : after.entrySet()) {
            Suite.Run now = e.getValue();
            Suite.Run old = before.get(e.getKey());
            for (TranscriptDiff.Edit d : TranscriptDiff.edits(old.transcript(), now.transcript())) {
                if (d.op() == ' ') {
                    continue;
                }
                Declared.Difference decl = Declared.find(ctx, 2, 3, now.device(), now.key(),
                        d.line());
                if (decl == null) {
                    undeclared.add(e.getKey() + ": " + d.op() + " " + d.line());
                } else {
                    used.add(decl);
                }
            }
        }
        assertTrue(undeclared.isEmpty(), undeclared.size() + " undeclared:\n"
                + String.join("\n", undeclared.subList(0, Math.min(40, undeclared.size()))));
        assertTrue(!used.isEmpty(), "stage 3 changes something on purpose under every policy");
    }

    private static Map<String, Suite.Run> byKey(List<Suite.Run> runs) {
        Map<String, Suite.Run> m = new LinkedHashMap<>();
        runs.forEach(r -> m.put(r.device() + " " + r.key(), r));
        return m;
    }
}
