package vfiowb.step1.drivers.cdx;

import vfiowb.common.stagetests.drivers.cdx.VfioCdxTests;
import vfiowb.step1.Step1Adapter;

class VfioCdxTest extends VfioCdxTests {
    VfioCdxTest() {
        super(new Step1Adapter());
    }
}
