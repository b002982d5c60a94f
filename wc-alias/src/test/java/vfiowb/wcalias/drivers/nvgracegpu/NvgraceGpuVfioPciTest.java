package vfiowb.wcalias.drivers.nvgracegpu;

import vfiowb.common.stagetests.drivers.nvgracegpu.NvgraceGpuVfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class NvgraceGpuVfioPciTest extends NvgraceGpuVfioPciTests {
    NvgraceGpuVfioPciTest() {
        super(new WcAliasAdapter());
    }
}
