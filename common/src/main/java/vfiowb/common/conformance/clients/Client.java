package vfiowb.common.conformance.clients;

import vfiowb.common.conformance.Transcript;
import vfiowb.common.userspace.Process;

/**
 * A userspace VFIO client that follows a real program's algorithm (userspace-clients §1): it
 * opens the device through {@link Process}, probes and maps it the way that program does, and
 * narrates every call and decision into a {@link Transcript}. A client has no effect beyond the
 * process it is given; the CLI's {@code walk} runs the same clients.
 */
public interface Client {
    /** {@code qemu}, {@code dpdk}. */
    String name();

    /** Runs the client against {@code device} in {@code p}. */
    void run(Process p, String device, Transcript t);
}
