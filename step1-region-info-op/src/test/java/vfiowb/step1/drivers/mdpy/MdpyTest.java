package vfiowb.step1.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.step1.Step1Adapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new Step1Adapter());
    }
}
