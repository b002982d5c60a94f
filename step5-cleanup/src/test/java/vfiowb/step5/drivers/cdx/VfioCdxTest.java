package vfiowb.step5.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.step5.Step5Adapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new Step5Adapter());
    }
}
