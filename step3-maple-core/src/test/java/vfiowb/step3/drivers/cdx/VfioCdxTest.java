package vfiowb.step3.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.step3.Step3Adapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new Step3Adapter());
    }
}
