package vfiowb.rulefixture.good.core;

import vfiowb.common.Models;

/** Rule fixture: a core that only offers an op slot. */
@Models("drivers/vfio/vfio_main.c:vfio_device_fops_read")
public final class Core {
    public interface Op {
        int call();
    }

    public int dispatch(Op op) {
        return op.call();
    }
}
