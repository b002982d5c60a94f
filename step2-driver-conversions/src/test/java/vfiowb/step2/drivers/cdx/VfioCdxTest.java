package vfiowb.step2.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.step2.Step2Adapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new Step2Adapter());
    }
}
