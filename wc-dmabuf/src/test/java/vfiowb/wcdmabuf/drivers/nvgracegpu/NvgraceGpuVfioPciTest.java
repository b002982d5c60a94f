package vfiowb.wcdmabuf.drivers.nvgracegpu;

import vfiowb.common.stagetests.drivers.nvgracegpu.NvgraceGpuVfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class NvgraceGpuVfioPciTest extends NvgraceGpuVfioPciTests {
    NvgraceGpuVfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
