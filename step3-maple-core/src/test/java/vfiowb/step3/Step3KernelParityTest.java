package vfiowb.step3;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class Step3KernelParityTest extends KernelParityTests {
    Step3KernelParityTest() {
        super(new Step3());
    }
}
