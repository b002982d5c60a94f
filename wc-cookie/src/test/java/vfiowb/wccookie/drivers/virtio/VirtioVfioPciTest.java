package vfiowb.wccookie.drivers.virtio;

import vfiowb.common.stagetests.drivers.virtio.VirtioVfioPciTests;
import vfiowb.wccookie.WcCookieAdapter;

class VirtioVfioPciTest extends VirtioVfioPciTests {
    VirtioVfioPciTest() {
        super(new WcCookieAdapter());
    }
}
