package vfiowb.step3.drivers.virtio;

import vfiowb.common.stagetests.drivers.virtio.VirtioVfioPciTests;
import vfiowb.step3.Step3Adapter;

class VirtioVfioPciTest extends VirtioVfioPciTests {
    VirtioVfioPciTest() {
        super(new Step3Adapter());
    }
}
