package vfiowb.step5.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.step5.Step5Adapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new Step5Adapter());
    }
}
