package vfiowb.step2;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class Step2KernelParityTest extends KernelParityTests {
    Step2KernelParityTest() {
        super(new Step2());
    }
}
