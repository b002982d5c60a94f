package vfiowb.jcstress;

import java.util.List;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;

/** A process on the last stage with one device, cookies made on REGION_INFO, packed. */
final class Booted {
    final Process p;
    final int fd;

    Booted(String device) {
        List<Stage> all = Stages.all();
        Stage last = all.get(all.size() - 1);
        p = new Process(last.boot(Arch.X86_64, List.of(DeviceCatalogue.byName(device).orElseThrow()),
                SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED)
                        .withCreate(SeriesPolicy.Create.REGION_INFO)));
        fd = p.open(device);
    }

    long offset(long index) {
        byte[] b = VfioRegionInfo.request(index, VfioRegionInfo.SIZE);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
        return RegionInfoReply.decode(b).info().offset();
    }
}
