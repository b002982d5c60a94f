package vfiowb.common.stagetests.drivers.xe;

import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.VfioPciCoreRegionPathsTests;

/** xe_vfio_pci_ops through the syscall boundary: every region path is vfio-pci-core's. */
public abstract class XeVfioPciTests extends VfioPciCoreRegionPathsTests {
    protected XeVfioPciTests(StageAdapter stage) {
        super(stage, "xe-vf", 2, "xe_vfio_pci_ops", "xe-vfio-pci");
    }
}
