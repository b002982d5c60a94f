package vfiowb.rulefixture.handdecode.drivers.hand;

import static vfiowb.common.errno.Errno.EFAULT;

import java.util.function.Function;
import vfiowb.common.Models;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;

/**
 * Rule fixture: as {@link HandDecodingDriver}, but the struct comes from its constructor, named
 * only as a method reference (no {@code invokespecial} in this class: javac hands the
 * constructor to {@code invokedynamic}).
 */
@Models("samples/vfio-mdev/hand.c:hand_region_info")
public final class ConstructingDriver {
    private static final Function<VfioRegionInfo, VfioRegionInfoStruct> MAKE = maker();

    private ConstructingDriver() {}

    private static Function<VfioRegionInfo, VfioRegionInfoStruct> maker() {
        return VfioRegionInfoStruct::new; // @constructorReference
    }

    public static long regionInfo(Object vdev, UserBuffer arg) {
        byte[] head = new byte[32];
        if (arg.copyFromUser(head, 0, 0, head.length) != 0) {
            return -EFAULT;
        }
        VfioRegionInfoStruct info = MAKE.apply(new VfioRegionInfo(LE.getU32(head, 0), 0,
                LE.getU32(head, 8), 0, 0, 0));
        int ret = HandDecodingDriver.handGetRegionInfoCaps(vdev, info, new VfioInfoCap());
        if (ret != 0) {
            return ret;
        }
        LE.putU64(head, 16, info.size());
        return arg.copyToUser(0, head, 0, head.length) != 0 ? -EFAULT : 0;
    }
}
