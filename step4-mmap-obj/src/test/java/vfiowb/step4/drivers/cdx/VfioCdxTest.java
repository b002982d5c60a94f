package vfiowb.step4.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.step4.Step4Adapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new Step4Adapter());
    }
}
