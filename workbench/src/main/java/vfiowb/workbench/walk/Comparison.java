package vfiowb.workbench.walk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import vfiowb.common.conformance.TranscriptDiff;
import vfiowb.common.stage.PolicyStage;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.Hosts;

/**
 * What differs between a walk and the same walk at the previous stage: the userspace-visible
 * transcript (normalised lines) and, for calls both stages made alike, the kernel functions
 * passed through.
 *
 * @param previous the previous stage's number
 * @param note why there is nothing to compare (no such stage, no driver there), else null
 * @param userspace the line diff of the normalised transcripts
 * @param kernel per call made alike in both, the functions only one stage passed through
 */
public record Comparison(int previous, String note, List<TranscriptDiff.Edit> userspace,
        List<KernelChange> kernel) {

    /** The functions one call passed through at only one of the stages. */
    public record KernelChange(int seq, String call, List<String> removed, List<String> added) {}

    /** Whether the stages differ at all for this walk. */
    public boolean differs() {
        return note == null && (changes(userspace) || !kernel.isEmpty());
    }

    /**
     * Runs {@code r}'s client at the stage before (for a variant, at the stage it sits on) and
     * compares.
     */
    public static Comparison withPrevious(Walk.Result r, boolean kernelPaths) {
        int prev = r.stage().variant() != null ? r.stage().number() : r.stage().number() - 1;
        Stage before = null;
        for (Stage s : Stages.all()) {
            if (s.number() == prev) {
                // The previous stage under the same policy (only placement reaches a stage
                // without the cookie tree).
                before = r.stage() instanceof PolicyStage ps ? new PolicyStage(s, ps.policy()) : s;
            }
        }
        if (before == null) {
            return new Comparison(prev, prev < 1 ? "stage " + r.stage().number()
                    + " is the first stage" : "stage " + prev + " is not on the class path",
                    List.of(), List.of());
        }
        if (!Hosts.binds(before, r.arch(), r.device())) {
            return new Comparison(prev, "stage " + prev + " models no driver for "
                    + r.device().opsTable(), List.of(), List.of());
        }
        Walk.Result old = Walk.run(before, r.arch(), r.device(), r.client(), kernelPaths);
        return compare(old, r);
    }

    /** Compares two walks of the same client and device. */
    public static Comparison compare(Walk.Result old, Walk.Result now) {
        List<String> a = normalized(old);
        List<String> b = normalized(now);
        List<TranscriptDiff.Edit> edits = TranscriptDiff.edits(a, b);
        List<KernelChange> kernel = new ArrayList<>();
        for (TranscriptDiff.Edit e : edits) {
            if (e.op() != ' ' || e.aPos() >= old.steps().size()) {
                continue;
            }
            Narration.Step so = old.steps().get(e.aPos());
            Narration.Step sn = now.steps().get(e.bPos());
            Set<String> fo = new LinkedHashSet<>(so.kernel().labels());
            Set<String> fn = new LinkedHashSet<>(sn.kernel().labels());
            List<String> removed = new ArrayList<>(fo);
            removed.removeAll(fn);
            List<String> added = new ArrayList<>(fn);
            added.removeAll(fo);
            if (!removed.isEmpty() || !added.isEmpty()) {
                kernel.add(new KernelChange(sn.seq(), sn.normalized(), removed, added));
            }
        }
        return new Comparison(old.stage().number(), null, edits, kernel);
    }

    /** Whether an edit script changes anything. */
    public static boolean changes(List<TranscriptDiff.Edit> edits) {
        return edits.stream().anyMatch(e -> e.op() != ' ');
    }

    /** The normalised transcript, with how the client ended. */
    static List<String> normalized(Walk.Result r) {
        List<String> out = new ArrayList<>();
        for (Narration.Step s : r.steps()) {
            out.add(s.normalized());
        }
        out.add(r.clientError() == null ? "client finished" : "client gave up: " + r.clientError());
        return out;
    }
}
