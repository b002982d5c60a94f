package vfiowb.step1;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class Step1KernelParityTest extends KernelParityTests {
    Step1KernelParityTest() {
        super(new Step1());
    }
}
