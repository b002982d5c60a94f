package vfiowb.step1.drivers.mbochs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Arch;
import vfiowb.common.stagetests.drivers.mbochs.MbochsTests;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step1.Step1Adapter;

/** Stage 1 keeps the sample's own REGION_INFO copy-out, from before the series converted it. */
class MbochsTest extends MbochsTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;

    MbochsTest() {
        super(new Step1Adapter(), RegionInfoCopy.SAMPLE_EXT_48);
    }

    /**
     * REGION_INFO as the sample answered it before "Convert mbochs to use
     * vfio_info_add_capability()": through {@code struct vfio_region_info_ext}, copying back
     * exactly {@code argsz} bytes. These are userspace-visible differences from stage 2, where the
     * core's rules apply (any {@code argsz} from 32, "too small" answered with
     * {@code cap_offset} 0).
     */
    @Nested
    class PreSeriesRegionInfo {
        /** The ioctl on a buffer of {@code bufferLength} bytes, 0xAA past the 32-byte head. */
        private UserBuffer call(Dev d, long index, int argsz, int bufferLength) {
            byte[] b = new byte[bufferLength];
            Arrays.fill(b, (byte) 0xAA);
            System.arraycopy(VfioRegionInfo.request(index, argsz), 0, b, 0, VfioRegionInfo.SIZE);
            UserBuffer arg = UserBuffer.wrap(b);
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, arg);
            return arg;
        }

        @ParameterizedTest
        @ValueSource(ints = {49, 64, 256})
        void argszAboveTheExtStructIsEinvalAndNothingIsWritten(int argsz) {
            Dev d = mbochs(Arch.X86_64);
            for (long index : new long[] {0, 9}) {
                byte[] b = VfioRegionInfo.request(index, argsz);
                UserBuffer arg = UserBuffer.wrap(b);
                assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(),
                        VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, arg)));
                assertTrue(arg.writtenRanges().isEmpty());
            }
        }

        @Test
        void edidWithA32ByteBufferGetsCapOffset32NotTheTooSmallAnswer() {
            UserBuffer arg = call(mbochs(Arch.X86_64), 9, 32, 64);
            VfioRegionInfo out = VfioRegionInfo.decode(arg.array(), 0);
            assertEquals(48, out.argsz());
            assertEquals(32, out.capOffset());
            assertEquals(R | W | CAPS, out.flags());
            assertEquals(32, arg.writtenEnd());
        }

        @Test
        void edidWithA40ByteBufferGetsHalfTheCapability() {
            UserBuffer arg = call(mbochs(Arch.X86_64), 9, 40, 64);
            assertEquals(40, arg.writtenEnd());
            assertEquals(VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE, NonPci.le(arg.array(), 32, 2));
            assertEquals(1, NonPci.le(arg.array(), 34, 2));
            assertEquals(0, NonPci.le(arg.array(), 36, 4));
            assertEquals(0xAAAA_AAAA_AAAA_AAAAL, NonPci.le(arg.array(), 40, 8),
                    "type and subtype are not copied");
        }

        @Test
        void edidWith48BytesIsTheWholeCapabilityAtOffset32() {
            RegionInfoReply r = mbochs(Arch.X86_64).region(9, 48);
            assertEquals(32, r.info().capOffset());
            assertEquals(48, r.info().argsz());
            assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)), r.caps());
        }

        @Test
        void otherRegionsCopyArgszBytesTooWithoutCapabilities() {
            UserBuffer arg = call(mbochs(Arch.X86_64), 0, 48, 64);
            VfioRegionInfo out = VfioRegionInfo.decode(arg.array(), 0);
            assertEquals(48, out.argsz());
            assertEquals(0, out.capOffset());
            assertEquals(R | W | M, out.flags());
            assertEquals(48, arg.writtenEnd());
        }

        @Test
        void aQemuStyleProbeGetsTheCapabilityOnItsSecondCall() {
            Dev d = mbochs(Arch.X86_64);
            UserBuffer first = call(d, 9, 32, 32);
            RegionInfoReply again = d.region(9, (int) VfioRegionInfo.decode(first.array(), 0).argsz());
            assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)), again.caps());
        }
    }
}
