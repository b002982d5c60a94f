package vfiowb.common.stagetests.drivers.qat;

import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.VfioPciCoreRegionPathsTests;

/** qat_vf_pci_ops through the syscall boundary: every region path is vfio-pci-core's. */
public abstract class QatVfioPciTests extends VfioPciCoreRegionPathsTests {
    protected QatVfioPciTests(StageAdapter stage) {
        super(stage, "qat-vf", 2, "qat_vf_pci_ops", "qat-vf-vfio-pci");
    }
}
