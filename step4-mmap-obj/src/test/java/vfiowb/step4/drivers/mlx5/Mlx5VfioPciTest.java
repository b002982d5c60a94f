package vfiowb.step4.drivers.mlx5;

import vfiowb.common.stagetests.drivers.mlx5.Mlx5VfioPciTests;
import vfiowb.step4.Step4Adapter;

class Mlx5VfioPciTest extends Mlx5VfioPciTests {
    Mlx5VfioPciTest() {
        super(new Step4Adapter());
    }
}
