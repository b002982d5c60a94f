package vfiowb.wccookie;

import vfiowb.common.parity.KernelParityTests;

/** The stage answers as the real kernel where issue 9 §1 found the model apart. */
class WcCookieKernelParityTest extends KernelParityTests {
    WcCookieKernelParityTest() {
        super(new WcCookie());
    }
}
