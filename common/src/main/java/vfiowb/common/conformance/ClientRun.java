package vfiowb.common.conformance;

import java.util.List;
import java.util.Objects;
import vfiowb.common.mm.Arch;

/**
 * One client ({@code qemu}, {@code dpdk}) run on one device. A client records what it saw and
 * decided; it fails only where the kernel broke a rule the client relies on (a malformed
 * capability chain, an argsz loop that does not settle) or the model threw.
 */
public record ClientRun(String client, String device, Arch arch, Outcome outcome,
        List<String> messages, Transcript transcript) {
    public ClientRun {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(outcome, "outcome");
        messages = List.copyOf(messages);
        Objects.requireNonNull(transcript, "transcript");
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }

    public String summary() {
        return "client " + client + " " + device + " " + arch.cliName() + ": " + outcome
                + (messages.isEmpty() ? "" : ": " + String.join("; ", messages));
    }
}
