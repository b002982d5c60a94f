package vfiowb.step3.drivers.mlx5;

import vfiowb.common.stagetests.drivers.mlx5.Mlx5VfioPciTests;
import vfiowb.step3.Step3Adapter;

class Mlx5VfioPciTest extends Mlx5VfioPciTests {
    Mlx5VfioPciTest() {
        super(new Step3Adapter());
    }
}
