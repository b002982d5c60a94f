package vfiowb.common.stagetests.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import vfiowb.common.errno.Errno;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * The core's REGION_INFO path (vfio_get_region_info) against a driver op it can observe,
 * called as {@code vfio_device_fops_unl_ioctl}. A stage module subclasses this with its adapter
 * and what its core does for a driver without the op.
 */
public abstract class VfioGetRegionInfoTests {
    /** What the stage's core does with REGION_INFO for a driver without get_region_info_caps. */
    public enum WithoutTheOp {
        /** Stage 1's transitional fallback: the driver's ioctl answers, given the user buffer. */
        DRIVER_IOCTL,
        /** "vfio: Require drivers to implement get_region_info" (v6.19): -EINVAL from the core. */
        EINVAL
    }

    private final StageAdapter stage;
    private final WithoutTheOp withoutTheOp;
    private StageAdapter.RegionInfoCaps op;
    private StageAdapter.Ioctl ioctl;
    private KernelFile df;

    protected VfioGetRegionInfoTests(StageAdapter stage, WithoutTheOp withoutTheOp) {
        this.stage = stage;
        this.withoutTheOp = withoutTheOp;
    }

    @BeforeEach
    void setUp() {
        op = mock(StageAdapter.RegionInfoCaps.class);
        ioctl = mock(StageAdapter.Ioctl.class);
        df = stage.openBareDevice(op, ioctl);
    }

    private long call(UserBuffer arg) {
        return df.unlockedIoctl(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, arg);
    }

    @Nested
    class CopyIn {
        @Test
        void theOpIsCalledOnceWithWhatTheUserPassedAndAnEmptyChain() {
            UserBuffer arg = UserBuffer.wrap(VfioRegionInfo.request(3, 32));
            assertEquals(0, call(arg));
            ArgumentCaptor<VfioRegionInfoStruct> info =
                    ArgumentCaptor.forClass(VfioRegionInfoStruct.class);
            ArgumentCaptor<VfioInfoCap> caps = ArgumentCaptor.forClass(VfioInfoCap.class);
            verify(op, times(1)).getRegionInfoCaps(info.capture(), caps.capture());
            assertEquals(3, info.getValue().index());
            assertEquals(32, info.getValue().argsz());
            assertEquals(0, info.getValue().flags());
            assertEquals(0, info.getValue().size());
            assertTrue(caps.getValue().isEmpty());
            verifyNoInteractions(ioctl);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 8, 31})
        void argszBelow32IsEinvalAndTheDriverIsNeverCalled(int argsz) {
            byte[] user = VfioRegionInfo.request(0, 32);
            user[0] = (byte) argsz;
            UserBuffer arg = UserBuffer.wrap(user);
            assertEquals(-Errno.EINVAL, call(arg));
            verifyNoInteractions(op, ioctl);
            assertTrue(arg.writtenRanges().isEmpty());
        }

        @Test
        void aBufferShorterThan32BytesFaults() {
            UserBuffer arg = UserBuffer.wrap(new byte[16]);
            assertEquals(-Errno.EFAULT, call(arg));
            verifyNoInteractions(op);
        }
    }

    @Nested
    class CopyOut {
        @Test
        void nothingIsCopiedOutWhenTheOpFails() {
            when(op.getRegionInfoCaps(any(), any())).thenAnswer(inv -> {
                VfioRegionInfoStruct info = inv.getArgument(0);
                info.setSize(0x1000);
                VfioInfoCap.vfioInfoAddCapability(inv.getArgument(1), RegionCap.MsixMappable.of());
                return -Errno.EINVAL;
            });
            byte[] before = VfioRegionInfo.request(9, 64);
            UserBuffer arg = UserBuffer.wrap(before.clone());
            assertEquals(-Errno.EINVAL, call(arg));
            assertTrue(arg.writtenRanges().isEmpty());
            assertArrayEquals(before, arg.array());
        }

        @Test
        void capsThatDoNotFitRaiseArgszAndAreNotCopied() {
            when(op.getRegionInfoCaps(any(), any())).thenAnswer(inv -> {
                VfioRegionInfoStruct info = inv.getArgument(0);
                info.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ);
                return VfioInfoCap.vfioInfoAddCapability(inv.getArgument(1),
                        RegionCap.MsixMappable.of());
            });
            UserBuffer arg = UserBuffer.wrap(VfioRegionInfo.request(0, 32));
            assertEquals(0, call(arg));
            VfioRegionInfo out = VfioRegionInfo.decode(arg.array(), 0);
            assertEquals(40, out.argsz());
            assertEquals(0, out.capOffset());
            assertEquals(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS, out.flags());
            assertFalse(arg.wroteAny(32, 40));
        }

        @Test
        void capsThatFitFollowTheHeaderAtOffset32() {
            when(op.getRegionInfoCaps(any(), any())).thenAnswer(inv ->
                    VfioInfoCap.vfioInfoAddCapability(inv.getArgument(1), RegionCap.MsixMappable.of()));
            UserBuffer arg = UserBuffer.wrap(VfioRegionInfo.request(0, 40));
            assertEquals(0, call(arg));
            VfioRegionInfo out = VfioRegionInfo.decode(arg.array(), 0);
            assertEquals(40, out.argsz());
            assertEquals(32, out.capOffset());
            assertEquals(3, arg.array()[32]);
        }
    }

    /**
     * vfio_get_region_info with a chain of two capabilities: vfio_info_cap_shift moves every
     * {@code next} by the 32-byte header, so the first points at 40 and the last at 0; and
     * when {@code argsz} claims room the buffer does not have, copying the chain out is -EFAULT.
     */
    @Nested
    class TwoCaps {
        @BeforeEach
        void twoHeaders() {
            when(op.getRegionInfoCaps(any(), any())).thenAnswer(inv -> {
                VfioInfoCap caps = inv.getArgument(1);
                int ret = VfioInfoCap.vfioInfoAddCapability(caps, RegionCap.MsixMappable.of());
                return ret != 0 ? ret : VfioInfoCap.vfioInfoAddCapability(caps,
                        RegionCap.MsixMappable.of());
            });
        }

        @Test
        void theChainIsShiftedPastTheHeader() {
            UserBuffer arg = UserBuffer.wrap(VfioRegionInfo.request(0, 48));
            assertEquals(0, call(arg));
            byte[] b = arg.array();
            assertEquals(32, VfioRegionInfo.decode(b, 0).capOffset());
            assertEquals(40, vfiowb.common.uapi.LE.getU32(b, 36), "first next");
            assertEquals(0, vfiowb.common.uapi.LE.getU32(b, 44), "last next");
        }

        @Test
        void aChainPastTheBufferIsEfault() {
            byte[] head = java.util.Arrays.copyOf(VfioRegionInfo.request(0, 48), 32);
            assertEquals(-Errno.EFAULT, call(UserBuffer.wrap(head)));
        }
    }

    /** vfio_device_fops_unl_ioctl: any other command on a table without {@code ioctl} is -EINVAL. */
    @Test
    void otherCommandsWithoutAnIoctlOpAreEinval() {
        KernelFile none = stage.openBareDevice(op, null);
        assertEquals(-Errno.EINVAL, none.unlockedIoctl(VfioIoctl.VFIO_DEVICE_RESET,
                UserBuffer.ofValue(0)));
        // VFIO_DEVICE_IOEVENTFD is the driver's (no ioeventfd_obj on this table): the same
        // -EINVAL, with the argument untouched.
        UserBuffer ioeventfd = UserBuffer.wrap(vfiowb.common.uapi.VfioDeviceIoeventfd.of(
                vfiowb.common.uapi.VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, 0, 1, 5)
                .encode());
        assertEquals(-Errno.EINVAL, none.unlockedIoctl(VfioIoctl.VFIO_DEVICE_IOEVENTFD,
                ioeventfd));
        assertTrue(ioeventfd.readRanges().isEmpty());
    }

    @Nested
    class WithoutTheRegionInfoOp {
        /**
         * Stage 1 hands the user's buffer to the driver's ioctl and reads none of it itself;
         * from v6.19 the core answers -EINVAL and the ioctl is not asked.
         */
        @Test
        void aDriverWithOnlyAnIoctlIsAnsweredAsTheStageSays() {
            when(ioctl.ioctl(eq(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO), any())).thenReturn(0L);
            KernelFile noOp = stage.openBareDevice(null, ioctl);
            UserBuffer arg = UserBuffer.wrap(VfioRegionInfo.request(0, 32));
            long ret = noOp.unlockedIoctl(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, arg);
            if (withoutTheOp == WithoutTheOp.DRIVER_IOCTL) {
                assertEquals(0, ret);
                verify(ioctl, times(1)).ioctl(eq(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO),
                        eq(arg));
                assertTrue(arg.readRanges().isEmpty(), "the core must not read the buffer itself");
            } else {
                assertEquals(-Errno.EINVAL, ret);
                verify(ioctl, never()).ioctl(eq(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO), any());
            }
        }

        @Test
        void aDriverWithNeitherGetsEinval() {
            KernelFile none = stage.openBareDevice(null, null);
            assertEquals(-Errno.EINVAL, none.unlockedIoctl(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO,
                    UserBuffer.wrap(VfioRegionInfo.request(0, 32))));
        }
    }
}
