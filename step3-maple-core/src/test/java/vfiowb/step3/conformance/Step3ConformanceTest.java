package vfiowb.step3.conformance;

import java.util.List;
import java.util.Set;
import vfiowb.common.conformance.StageConformanceTests;
import vfiowb.common.mm.Arch;
import vfiowb.step3.DriverRegistry;
import vfiowb.step3.Step3;

/**
 * Stage 3 runs the userspace conformance suite on every catalogue device its drivers bind. It
 * changes one thing userspace sees on purpose, for the tables on the cookie path: an mmap at an
 * offset no cookie covers (a region without bytes: an absent BAR or ROM) is -ENXIO, the seed's
 * sketch, where vfio_pci_core_mmap said -EINVAL. On i386 those offsets lie past 4 GiB, where
 * mmap fails with EOVERFLOW before the driver, as before.
 */
class Step3ConformanceTest extends StageConformanceTests {
    Step3ConformanceTest() {
        super(new Step3(), DriverRegistry.opsTables().keySet(), List.of(
                new KnownDeviation("*", "fails with EINVAL (observed ENXIO)",
                        "stage 3: an offset no cookie covers is -ENXIO (vfio: Add the mmap_obj op)",
                        Set.of(Arch.X86_64, Arch.ARM64_64K))));
    }
}
