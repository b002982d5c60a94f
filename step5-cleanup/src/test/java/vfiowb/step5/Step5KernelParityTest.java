package vfiowb.step5;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class Step5KernelParityTest extends KernelParityTests {
    Step5KernelParityTest() {
        super(new Step5());
    }
}
