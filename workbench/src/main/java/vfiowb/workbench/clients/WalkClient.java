package vfiowb.workbench.clients;

import vfiowb.common.conformance.Transcript;
import vfiowb.common.conformance.clients.Client;
import vfiowb.common.userspace.Process;

/**
 * A client {@code walk} can narrate: one of the conformance suite's clients
 * ({@link vfiowb.common.conformance.clients.Clients}), with a line for people. The client writes
 * its own account (what it saw and decided, the expectations it relies on) into a
 * {@link Transcript}; the walk narrates the system calls it makes.
 */
public record WalkClient(Client client, String description) {
    public String name() {
        return client.name();
    }

    /** Runs the client on {@code device} in {@code p}; its account is returned. */
    public Transcript run(Process p, String device) {
        Transcript t = new Transcript(client.name() + " " + device + " " + p.arch().cliName());
        client.run(p, device, t);
        return t;
    }
}
