package vfiowb.step1.conformance;

import java.util.List;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.step1.DriverRegistry;
import vfiowb.step1.Step1;

/**
 * Stage 1 runs the userspace conformance suite on every catalogue device its drivers bind.
 * Stage 1 keeps two pre-series kernel behaviours the suite reports, listed below.
 */
class Step1ConformanceTest extends StageConformanceTests {
    Step1ConformanceTest() {
        super(new Step1(), DriverRegistry.opsTables().keySet(), List.of(
                // Not model bugs: the kernel before the series' driver patches, which stage 1
                // keeps.
                new KnownDeviation("ap-matrix", "RI-04", "vfio_ap_mdev_ioctl answered "
                        + "REGION_INFO with -EOPNOTSUPP until 'vfio: Require drivers to "
                        + "implement get_region_info' made the core answer -EINVAL"),
                new KnownDeviation("mbochs", "region 9", "mbochs copied its own 48-byte "
                        + "vfio_region_info_ext back (argsz bytes, cap_offset 32 even when the "
                        + "chain was cut short) until 'vfio/mbochs: Convert mbochs to use "
                        + "vfio_info_add_capability()'")));
    }
}
