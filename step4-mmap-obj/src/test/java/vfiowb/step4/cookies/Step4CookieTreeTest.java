package vfiowb.step4.cookies;

import java.util.Set;
import vfiowb.common.cookies.CookieTreeTests;
import vfiowb.step4.Step4;

/** Stage 4 (so far, as stage 3) puts vfio_pci_ops on the cookie path. */
class Step4CookieTreeTest extends CookieTreeTests {
    Step4CookieTreeTest() {
        super(new Step4(), Set.of("vfio_pci_ops"));
    }
}
