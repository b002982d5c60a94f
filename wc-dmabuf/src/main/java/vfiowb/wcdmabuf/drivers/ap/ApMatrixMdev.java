package vfiowb.wcdmabuf.drivers.ap;

import vfiowb.common.Models;
import vfiowb.common.hw.ApDevice;
import vfiowb.common.mm.Arch;
import vfiowb.wcdmabuf.core.VfioDevice;
import vfiowb.wcdmabuf.core.VfioDeviceOps;

/**
 * {@code struct ap_matrix_mdev}: a crypto matrix mdev, the adapters and domains it passes to a
 * guest. It has no regions at all.
 */
@Models("drivers/s390/crypto/vfio_ap_private.h:struct ap_matrix_mdev")
public final class ApMatrixMdev extends VfioDevice {
    private final ApDevice matrix;
    private boolean kvmSet;
    private long queueResets;

    ApMatrixMdev(VfioDeviceOps ops, ApDevice matrix, Arch arch) {
        super(ops, matrix, arch);
        this.matrix = matrix;
    }

    /** {@code matrix_mdev->matrix}. */
    ApDevice matrix() {
        return matrix;
    }

    synchronized void setKvm(boolean set) {
        kvmSet = set;
    }

    /** Whether the matrix is plugged into a guest ({@code matrix_mdev->kvm != NULL}). */
    public synchronized boolean kvmSet() {
        return kvmSet;
    }

    synchronized void countQueueReset() {
        queueResets++;
    }

    /** How often the queues were reset ({@code vfio_ap_mdev_reset_queues}). */
    public synchronized long queueResets() {
        return queueResets;
    }
}
