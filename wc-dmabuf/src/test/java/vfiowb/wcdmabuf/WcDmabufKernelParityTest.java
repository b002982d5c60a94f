package vfiowb.wcdmabuf;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class WcDmabufKernelParityTest extends KernelParityTests {
    WcDmabufKernelParityTest() {
        super(new WcDmabuf());
    }
}
