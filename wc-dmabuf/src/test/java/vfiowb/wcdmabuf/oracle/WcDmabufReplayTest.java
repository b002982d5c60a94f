package vfiowb.wcdmabuf.oracle;

import java.util.List;
import vfiowb.common.oracle.DeclaredDifference;
import vfiowb.common.oracle.OracleTranscript;
import vfiowb.common.oracle.StageReplayTests;
import vfiowb.wcdmabuf.WcDmabuf;

/**
 * Stage 5 replays the Linux 6.12 transcripts. Every recorded device is on vfio_pci_ops, the
 * first table on the cookie path, so one thing differs on purpose: an mmap that no cookie
 * covers wholly (an absent region, a length past the region, an offset past it) is -ENXIO, as
 * the seed's sketch has it, where vfio_pci_core_mmap said -EINVAL.
 */
class WcDmabufReplayTest extends StageReplayTests {
    WcDmabufReplayTest() {
        super(new WcDmabuf(), List.of(new DeclaredDifference(List.copyOf(OracleTranscript.DEVICES),
                "mmap", "*", "result", "EINVAL", "ENXIO",
                "core mmap loads the cookie at vm_pgoff and requires the VMA to lie wholly inside "
                        + "it; a miss is -ENXIO before any driver sees the call",
                "this series, stage 3: vfio: Add the mmap_obj op; the core resolves vm_pgoff "
                        + "through the tree")));
    }
}
