package vfiowb.wcdmabuf.drivers.mlx5;

import vfiowb.common.stagetests.drivers.mlx5.Mlx5VfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class Mlx5VfioPciTest extends Mlx5VfioPciTests {
    Mlx5VfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
