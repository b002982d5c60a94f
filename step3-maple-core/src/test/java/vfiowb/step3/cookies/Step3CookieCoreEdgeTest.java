package vfiowb.step3.cookies;

import java.util.Set;
import vfiowb.common.cookies.CookieCoreEdgeTests;
import vfiowb.step3.Step3;

class Step3CookieCoreEdgeTest extends CookieCoreEdgeTests {
    Step3CookieCoreEdgeTest() {
        super(new Step3(), Set.of("vfio_pci_ops"));
    }
}
