package vfiowb.step3.drivers.nvgracegpu;

import vfiowb.common.stagetests.drivers.nvgracegpu.NvgraceGpuVfioPciTests;
import vfiowb.step3.Step3Adapter;

class NvgraceGpuVfioPciTest extends NvgraceGpuVfioPciTests {
    NvgraceGpuVfioPciTest() {
        super(new Step3Adapter());
    }
}
