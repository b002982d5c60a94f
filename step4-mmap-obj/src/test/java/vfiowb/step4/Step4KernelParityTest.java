package vfiowb.step4;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class Step4KernelParityTest extends KernelParityTests {
    Step4KernelParityTest() {
        super(new Step4());
    }
}
