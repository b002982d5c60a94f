package vfiowb.common.stagetests.drivers.pds;

import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.VfioPciCoreRegionPathsTests;

/** pds_vfio_ops through the syscall boundary: every region path is vfio-pci-core's. */
public abstract class PdsVfioPciTests extends VfioPciCoreRegionPathsTests {
    protected PdsVfioPciTests(StageAdapter stage) {
        super(stage, "pds-vf", 0, "pds_vfio_ops", "pds-vfio");
    }
}
