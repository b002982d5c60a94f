package vfiowb.wccookie.drivers.mlx5;

import vfiowb.common.stagetests.drivers.mlx5.Mlx5VfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class Mlx5VfioPciTest extends Mlx5VfioPciTests {
    Mlx5VfioPciTest() {
        super(new WcCookieAdapter());
    }
}
