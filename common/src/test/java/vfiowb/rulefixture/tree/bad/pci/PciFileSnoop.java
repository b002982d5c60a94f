package vfiowb.rulefixture.tree.bad.pci;

import vfiowb.rulefixture.tree.bad.core.VfioDeviceFile;

/** Rule fixture: vfio-pci-core reaching into the core's per-file structure for its tree. */
public final class PciFileSnoop {
    public long count(VfioDeviceFile df) {
        return df.tree().count();
    }
}
