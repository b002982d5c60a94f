package vfiowb.wcdmabuf.drivers.virtio;

import vfiowb.common.stagetests.drivers.virtio.VirtioVfioPciTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

class VirtioVfioPciTest extends VirtioVfioPciTests {
    VirtioVfioPciTest() {
        super(new WcDmabufAdapter());
    }
}
