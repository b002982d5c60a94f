package vfiowb.common.conformance;

import java.util.List;
import java.util.Objects;
import vfiowb.common.mm.Arch;

/**
 * One scenario on one device: its outcome, the failed expectations (empty unless
 * {@link Outcome#FAIL}) and what userspace saw ({@code transcript} is empty when not
 * applicable).
 */
public record ConformanceResult(String device, Arch arch, String scenarioId, String title,
        Outcome outcome, List<String> messages, Transcript transcript) {
    public ConformanceResult {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(scenarioId, "scenarioId");
        Objects.requireNonNull(outcome, "outcome");
        messages = List.copyOf(messages);
        Objects.requireNonNull(transcript, "transcript");
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }

    /** {@code "RI-02 nic-vf x86_64: FAIL: ..."}. */
    public String summary() {
        return scenarioId + " " + device + " " + arch.cliName() + ": " + outcome
                + (messages.isEmpty() ? "" : ": " + String.join("; ", messages));
    }
}
