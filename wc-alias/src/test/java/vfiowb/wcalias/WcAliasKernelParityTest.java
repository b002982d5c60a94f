package vfiowb.wcalias;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class WcAliasKernelParityTest extends KernelParityTests {
    WcAliasKernelParityTest() {
        super(new WcAlias());
    }
}
