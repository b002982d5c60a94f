package vfiowb.step3.cookies;

import java.util.Set;
import vfiowb.common.cookies.FileLifetimeTests;
import vfiowb.step3.Step3;

/** Stage 3 puts vfio_pci_ops, and only it, on the cookie path. */
class Step3FileLifetimeTest extends FileLifetimeTests {
    Step3FileLifetimeTest() {
        super(new Step3(), Set.of("vfio_pci_ops"));
    }
}
