package vfiowb.step4.drivers.nvgracegpu;

import vfiowb.common.stagetests.drivers.nvgracegpu.NvgraceGpuVfioPciTests;
import vfiowb.step4.Step4Adapter;

class NvgraceGpuVfioPciTest extends NvgraceGpuVfioPciTests {
    NvgraceGpuVfioPciTest() {
        super(new Step4Adapter());
    }
}
