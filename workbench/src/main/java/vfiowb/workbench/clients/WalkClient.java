package vfiowb.workbench.clients;

import vfiowb.common.userspace.Process;

/**
 * A userspace VFIO client the workbench can run and narrate. Clients speak to the stage only
 * through {@link Process}; an errno the client tolerates is caught inside {@link #run}, one it
 * does not escapes as the {@link vfiowb.common.errno.ErrnoException} (the client gives up on the
 * device, as QEMU's realize fails).
 */
public interface WalkClient {
    /** {@code qemu}, {@code dpdk}: the {@code --client} name. */
    String name();

    /** One line: what the client does, and after which upstream code. */
    String description();

    /** Probes {@code device} and maps what the client would map. */
    void run(Process p, String device);
}
