package vfiowb.step4.drivers.virtio;

import vfiowb.common.stagetests.drivers.virtio.VirtioVfioPciTests;
import vfiowb.step4.Step4Adapter;

class VirtioVfioPciTest extends VirtioVfioPciTests {
    VirtioVfioPciTest() {
        super(new Step4Adapter());
    }
}
