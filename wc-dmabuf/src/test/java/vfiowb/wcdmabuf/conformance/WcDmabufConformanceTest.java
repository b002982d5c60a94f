package vfiowb.wcdmabuf.conformance;

import java.util.List;
import java.util.Map;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.wcdmabuf.DriverRegistry;
import vfiowb.wcdmabuf.WcDmabuf;

/**
 * Stage 5 runs the userspace conformance suite on every catalogue device its drivers bind. What
 * the cookie path changes on purpose (an mmap no cookie covers answering -ENXIO) is part of the
 * suite's contract for such files; there is no known deviation. mbochs' out-of-bounds page
 * lookup is gone: with the offset from the cookie there is nothing to subtract wrongly. mtty's
 * config read past its 255-byte vconfig is still there.
 */
class WcDmabufConformanceTest extends StageConformanceTests {
    WcDmabufConformanceTest() {
        super(new WcDmabuf(), DriverRegistry.opsTables().keySet(), List.of());
    }

    @Override
    protected Map<String, String> kernelBugsReached() {
        return Map.of("mtty_dev_ops", "mtty RW-11", "nvgrace_gpu_pci_ops", "nvgrace-gh200 MM-12");
    }
}
