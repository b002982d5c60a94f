package vfiowb.common.stagetests.drivers.mlx5;

import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.VfioPciCoreRegionPathsTests;

/** mlx5vf_pci_ops through the syscall boundary: every region path is vfio-pci-core's. */
public abstract class Mlx5VfioPciTests extends VfioPciCoreRegionPathsTests {
    protected Mlx5VfioPciTests(StageAdapter stage) {
        super(stage, "mlx5-vf", 0, "mlx5vf_pci_ops", "mlx5-vfio-pci");
    }
}
