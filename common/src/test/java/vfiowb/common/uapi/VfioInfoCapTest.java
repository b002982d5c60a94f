package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.uapi.VfioInfoCap.vfioInfoAddCapability;
import static vfiowb.common.uapi.VfioInfoCap.vfioInfoCapAdd;
import static vfiowb.common.uapi.VfioInfoCap.vfioInfoCapShift;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Slab;

/** The drivers/vfio/vfio_main.c chain helpers (kernel-facts §A.4). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VfioInfoCapTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Nested
    class OneCap {
        @Test
        void firstCapIsAtZeroWithNextZero() {
            VfioInfoCap caps = new VfioInfoCap();
            assertTrue(caps.isEmpty());
            assertEquals(0, vfioInfoCapAdd(caps, 16, VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE, 1));
            assertEquals(16, caps.size());
            assertEquals(new VfioInfoCapHeader(2, 1, 0), caps.header(0));
            assertArrayEquals(hex("0200 0100 00000000 00000000 00000000"), caps.bytes());
        }

        @Test
        void addCapabilityCopiesTheBodyAfterTheHeader() {
            VfioInfoCap caps = new VfioInfoCap();
            RegionCap.Type t = RegionCap.Type.of(VfioRegionType.pciVendorType(0x8086), 1);
            assertEquals(0, vfioInfoAddCapability(caps, t));
            assertArrayEquals(t.encode(), caps.bytes());
        }

        @Test
        void theCallersNextIsIgnored() {
            VfioInfoCap caps = new VfioInfoCap();
            byte[] cap = new VfioInfoCapHeader(3, 1, 0xdead).encode();
            assertEquals(0, vfioInfoAddCapability(caps, cap));
            assertEquals(0, caps.header(0).next());
        }
    }

    @Nested
    class ThreeCaps {
        /** MSIX_MAPPABLE, TYPE, SPARSE with one area, in that order: 8 + 16 + 32 bytes. */
        private VfioInfoCap build() {
            VfioInfoCap caps = new VfioInfoCap();
            assertEquals(0, vfioInfoCapAdd(caps, VfioInfoCapHeader.SIZE,
                VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 1));
            assertEquals(0, vfioInfoAddCapability(caps, RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)));
            assertEquals(0, vfioInfoAddCapability(caps,
                RegionCap.Sparse.of(new VfioRegionSparseMmapArea(0x1000, 0x3000))));
            return caps;
        }

        @Test
        void linksAreChainRelativeWhileBuilding() {
            VfioInfoCap caps = build();
            assertEquals(56, caps.size());
            assertEquals(8, caps.header(0).next());
            assertEquals(24, caps.header(8).next());
            assertEquals(0, caps.header(24).next());
        }

        @Test
        void afterShiftBy32LinksAre40And56() {
            VfioInfoCap caps = build();
            vfioInfoCapShift(caps, VfioRegionInfo.SIZE);
            assertTrue(caps.isShifted());
            byte[] reply = new byte[32 + caps.size()];
            System.arraycopy(caps.bytes(), 0, reply, 32, caps.size());
            assertEquals(new VfioInfoCapHeader(3, 1, 40), VfioInfoCapHeader.decode(reply, 32));
            assertEquals(new VfioInfoCapHeader(2, 1, 56), VfioInfoCapHeader.decode(reply, 40));
            assertEquals(new VfioInfoCapHeader(1, 1, 0), VfioInfoCapHeader.decode(reply, 56));
            assertArrayEquals(hex(
                "0300 0100 28000000"
                    + " 0200 0100 38000000 01000000 01000000"
                    + " 0100 0100 00000000 01000000 00000000 0010000000000000 0030000000000000"),
                caps.bytes());
        }
    }

    @Nested
    class Rounding {
        @Test
        void oddSizeIsRoundedUpToEightAndTheNextCapStaysAligned() {
            VfioInfoCap caps = new VfioInfoCap();
            assertEquals(0, vfioInfoCapAdd(caps, 13, 0x99, 1));
            assertEquals(16, caps.size());
            assertEquals(16, vfioInfoCapAdd(caps, 9, 0x9a, 1));
            assertEquals(32, caps.size());
            assertEquals(16, caps.header(0).next());
        }

        @Test
        void addCapabilityOfOddLengthPadsWithZeros() {
            VfioInfoCap caps = new VfioInfoCap();
            assertEquals(0, vfioInfoAddCapability(caps, new RegionCap.Unknown(0x77, 2, new byte[] {1, 2, 3, 4, 5})));
            assertArrayEquals(hex("7700 0200 00000000 0102030405 000000"), caps.bytes());
        }
    }

    @Nested
    class ZeroFill {
        @Test
        void newCapIsZeroedAndEarlierCapsKeepTheirBodies() {
            VfioInfoCap caps = new VfioInfoCap();
            int first = vfioInfoCapAdd(caps, 24, 0x50, 1);
            byte[] body = new byte[16];
            Arrays.fill(body, (byte) 0xA5);
            caps.write(first + 8, body);
            int second = vfioInfoCapAdd(caps, 40, 0x51, 1);
            byte[] b = caps.bytes();
            assertTrue(allZero(b, second + 8, second + 40));
            assertArrayEquals(body, Arrays.copyOfRange(b, first + 8, first + 24));
        }
    }

    @Nested
    class Shift {
        @Test
        void warnsOnAMisalignedShift() {
            VfioInfoCap caps = new VfioInfoCap();
            vfioInfoCapAdd(caps, 8, 3, 1);
            vfioInfoCapAdd(caps, 8, 3, 1);
            assertThrows(IllegalStateException.class, () -> vfioInfoCapShift(caps, 20));
        }

        @Test
        void singleCapKeepsNextZero() {
            VfioInfoCap caps = new VfioInfoCap();
            vfioInfoCapAdd(caps, 8, 3, 1);
            vfioInfoCapShift(caps, 32);
            assertEquals(0, caps.header(0).next());
        }

        @Test
        void shiftOfDeviceInfoBy24() {
            VfioInfoCap caps = new VfioInfoCap();
            vfioInfoCapAdd(caps, 16, VfioDeviceInfo.VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, 1);
            vfioInfoCapAdd(caps, 8, 1, 1);
            vfioInfoCapShift(caps, VfioDeviceInfo.SIZE);
            assertEquals(40, caps.header(0).next());
        }

        @Test
        void misuseIsABug() {
            VfioInfoCap empty = new VfioInfoCap();
            assertThrows(IllegalStateException.class, () -> vfioInfoCapShift(empty, 32));
            VfioInfoCap caps = new VfioInfoCap();
            vfioInfoCapAdd(caps, 8, 3, 1);
            vfioInfoCapShift(caps, 32);
            assertThrows(IllegalStateException.class, () -> vfioInfoCapShift(caps, 32), "twice");
            assertThrows(IllegalStateException.class, () -> vfioInfoCapAdd(caps, 8, 3, 1), "add after shift");
        }
    }

    @Nested
    class AllocationFailure {
        @Test
        void kreallocFailureFreesTheChainAndReturnsEnomem() {
            VfioInfoCap caps = VfioInfoCap.withAllocationLimit(24);
            assertEquals(0, vfioInfoCapAdd(caps, 16, 2, 1));
            assertEquals(-Errno.ENOMEM, vfioInfoCapAdd(caps, 16, 2, 1));
            assertEquals(0, caps.size());
            assertEquals(0, caps.bytes().length);
            assertEquals(-Errno.ENOMEM, vfioInfoAddCapability(caps, RegionCap.Sparse.of(
                new VfioRegionSparseMmapArea(0, 0x1000), new VfioRegionSparseMmapArea(0x2000, 0x1000))));
        }

        @Test
        void failNthFailsTheKreallocOfTheNthAdd() {
            VfioInfoCap caps = new VfioInfoCap();
            try {
                Slab.setFailNth(2);
                assertEquals(0, vfioInfoCapAdd(caps, 16, 2, 1), "the first krealloc succeeds");
                assertEquals(-Errno.ENOMEM, vfioInfoCapAdd(caps, 8, 3, 1), "the second fails");
                assertEquals(0, Slab.failNth(), "the point was reached");
                assertEquals(0, caps.size(), "and the chain freed");
                assertEquals(0, vfioInfoCapAdd(caps, 8, 3, 1), "once only");
            } finally {
                Slab.setFailNth(0);
            }
        }

        @Test
        void aFreshChainAfterFailureStartsAtZero() {
            VfioInfoCap caps = VfioInfoCap.withAllocationLimit(16);
            assertEquals(-Errno.ENOMEM, vfioInfoCapAdd(caps, 24, 2, 1));
            assertEquals(0, vfioInfoCapAdd(caps, 8, 3, 1));
        }
    }

    @Nested
    class DriverBugs {
        @Test
        void capSmallerThanItsHeader() {
            assertThrows(IllegalStateException.class, () -> vfioInfoCapAdd(new VfioInfoCap(), 4, 3, 1));
            assertThrows(IllegalStateException.class, () -> vfioInfoAddCapability(new VfioInfoCap(), new byte[6]));
        }

        @Test
        void idAndVersionAreU16() {
            assertThrows(IllegalArgumentException.class, () -> vfioInfoCapAdd(new VfioInfoCap(), 8, 0x10000, 1));
        }

        @Test
        void writesStayInsideTheChain() {
            VfioInfoCap caps = new VfioInfoCap();
            vfioInfoCapAdd(caps, 16, 2, 1);
            caps.putU32(8, 0xFFFF_FFFFL);
            assertEquals(0xFFFF_FFFFL, LE.getU32(caps.bytes(), 8));
            caps.putU64(8, 7L << 40 | 0x1234);
            assertEquals(7L << 40 | 0x1234, LE.getU64(caps.bytes(), 8), "little-endian, all 8 bytes");
            assertThrows(IllegalStateException.class, () -> caps.write(12, new byte[8]));
            assertThrows(IllegalStateException.class, () -> caps.putU64(12, 0));
            assertThrows(IllegalStateException.class, () -> caps.header(12));
        }

        @Test
        void aCorruptedLinkIsCaughtInsteadOfWalkedForever() {
            VfioInfoCap caps = new VfioInfoCap();
            vfioInfoCapAdd(caps, 8, 3, 1);
            int second = vfioInfoCapAdd(caps, 8, 3, 1);
            caps.putU32(second + 4, second);
            assertThrows(IllegalStateException.class, () -> vfioInfoCapAdd(caps, 8, 3, 1));
            assertThrows(IllegalStateException.class, () -> vfioInfoCapShift(caps, 32));
        }
    }
}
