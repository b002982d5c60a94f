package vfiowb.wcalias.drivers.mlx5;

import vfiowb.common.stagetests.drivers.mlx5.Mlx5VfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class Mlx5VfioPciTest extends Mlx5VfioPciTests {
    Mlx5VfioPciTest() {
        super(new WcAliasAdapter());
    }
}
