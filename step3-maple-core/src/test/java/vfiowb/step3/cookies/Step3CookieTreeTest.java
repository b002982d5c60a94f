package vfiowb.step3.cookies;

import java.util.Set;
import vfiowb.common.cookies.CookieTreeTests;
import vfiowb.step3.Step3;

/** Stage 3 puts vfio_pci_ops, and only it, on the cookie path. */
class Step3CookieTreeTest extends CookieTreeTests {
    Step3CookieTreeTest() {
        super(new Step3(), Set.of("vfio_pci_ops"));
    }
}
