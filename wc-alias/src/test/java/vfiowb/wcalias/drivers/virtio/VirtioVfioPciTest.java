package vfiowb.wcalias.drivers.virtio;

import vfiowb.common.stagetests.drivers.virtio.VirtioVfioPciTests;
import vfiowb.wcalias.WcAliasAdapter;

class VirtioVfioPciTest extends VirtioVfioPciTests {
    VirtioVfioPciTest() {
        super(new WcAliasAdapter());
    }
}
