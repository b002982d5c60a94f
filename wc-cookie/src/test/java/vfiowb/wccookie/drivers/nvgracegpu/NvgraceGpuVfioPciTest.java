package vfiowb.wccookie.drivers.nvgracegpu;

import vfiowb.common.stagetests.drivers.nvgracegpu.NvgraceGpuVfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class NvgraceGpuVfioPciTest extends NvgraceGpuVfioPciTests {
    NvgraceGpuVfioPciTest() {
        super(new WcCookieAdapter());
    }
}
