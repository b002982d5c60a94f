package vfiowb.step2.conformance;

import java.util.List;
import java.util.Map;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.step2.DriverRegistry;
import vfiowb.step2.Step2;

/**
 * Stage 2 runs the userspace conformance suite on every catalogue device its drivers bind.
 *
 * <p>Until stage 1's kernel-bug change to mbochs and mtty is forward-ported, stage 2 still
 * throws IllegalStateException for mbochs' out-of-bounds page and reads zeros past mtty's
 * vconfig: listed here, and removed by the forward-port.
 */
class Step2ConformanceTest extends StageConformanceTests {
    Step2ConformanceTest() {
        super(new Step2(), DriverRegistry.opsTables().keySet(), List.of(
                new KnownDeviation("mbochs", "RW-11", "stage 1's KernelBug in "
                        + "__mbochs_get_page is not forward-ported to stage 2 yet")));
    }

    @Override
    protected Map<String, String> kernelBugsReached() {
        return Map.of("nvgrace_gpu_pci_ops", "nvgrace-gh200 MM-12");
    }
}
