package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Encode/decode round trips; expected byte images are written out by hand, little-endian. */
class CodecTest {
    private static final long U32_MAX = 0xFFFF_FFFFL;
    private static final long U32_TOP = 0x8000_0000L;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Nested
    class RegionInfo {
        @Test
        void byteImage() {
            VfioRegionInfo info = new VfioRegionInfo(0x50, 0xf, 7, 32, 0x1000, 7L << 40);
            assertArrayEquals(hex("50000000 0f000000 07000000 20000000"
                + " 0010000000000000 0000000000070000"), info.encode());
        }

        @Test
        void roundTripsExtremes() {
            for (VfioRegionInfo v : List.of(
                    new VfioRegionInfo(U32_MAX, U32_TOP, U32_TOP + 1, U32_MAX, -1L, 7L << 40),
                    new VfioRegionInfo(0, 0, 0, 0, 0, 0),
                    new VfioRegionInfo(32, 0x7, 9, 0, 2L << 40, 0xFFFF_FFFF_FFFF_FFFFL))) {
                assertEquals(v, VfioRegionInfo.decode(v.encode(), 0));
            }
        }

        @Test
        void decodeAtAnOffset() {
            byte[] buf = new byte[40];
            VfioRegionInfo v = new VfioRegionInfo(U32_TOP, 1, 2, 3, 4, 5);
            v.encodeInto(buf, 8);
            assertEquals(v, VfioRegionInfo.decode(buf, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> VfioRegionInfo.decode(buf, 9));
        }

        @Test
        void u32FieldsRefuseWhatTheyCannotHold() {
            assertThrows(IllegalArgumentException.class, () -> new VfioRegionInfo(1L << 32, 0, 0, 0, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> new VfioRegionInfo(0, -1, 0, 0, 0, 0));
        }

        @Test
        void requestBuffer() {
            byte[] small = VfioRegionInfo.request(7, 16);
            assertEquals(32, small.length);
            assertEquals(new VfioRegionInfo(16, 0, 7, 0, 0, 0), VfioRegionInfo.decode(small, 0));
            byte[] big = VfioRegionInfo.request(2, 80);
            assertEquals(80, big.length);
            assertEquals(80, VfioRegionInfo.decode(big, 0).argsz());
        }

        @Test
        void withers() {
            VfioRegionInfo v = new VfioRegionInfo(32, 0, 3, 0, 0, 0)
                .withFlags(5).withSize(0x4000).withOffset(3L << 40).withCapOffset(32).withArgsz(48);
            assertEquals(new VfioRegionInfo(48, 5, 3, 32, 0x4000, 3L << 40), v);
            assertTrue(v.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP));
        }
    }

    @Nested
    class DeviceInfo {
        @Test
        void byteImageAndRoundTrip() {
            VfioDeviceInfo v = VfioDeviceInfo.of(24, 0x83, 9, 5, 0);
            assertArrayEquals(hex("18000000 83000000 09000000 05000000 00000000 00000000"), v.encode());
            VfioDeviceInfo top = new VfioDeviceInfo(U32_MAX, U32_TOP, U32_TOP, U32_MAX, 24, U32_TOP);
            assertEquals(top, VfioDeviceInfo.decode(top.encode(), 0));
        }
    }

    @Nested
    class IrqInfo {
        @Test
        void byteImageAndRoundTrip() {
            VfioIrqInfo v = new VfioIrqInfo(16, 0x9, 2, 2048);
            assertArrayEquals(hex("10000000 09000000 02000000 00080000"), v.encode());
            VfioIrqInfo top = new VfioIrqInfo(U32_MAX, U32_TOP, U32_TOP + 5, U32_MAX);
            assertEquals(top, VfioIrqInfo.decode(top.encode(), 0));
            assertEquals("EVENTFD|NORESIZE", VfioIrqInfo.flagNames(9));
        }
    }

    @Nested
    class CapHeader {
        @Test
        void byteImageAndRoundTrip() {
            VfioInfoCapHeader h = new VfioInfoCapHeader(0xABCD, 1, U32_TOP);
            assertArrayEquals(hex("cdab 0100 00000080"), h.encode());
            assertEquals(h, VfioInfoCapHeader.decode(h.encode(), 0));
            assertThrows(IllegalArgumentException.class, () -> new VfioInfoCapHeader(0x10000, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> new VfioInfoCapHeader(1, 1, -1));
        }
    }

    @Nested
    class Ioeventfd {
        @Test
        void byteImage() {
            VfioDeviceIoeventfd v = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                (2L << 40) + 0x10, 0xDEADBEEFL, -1);
            assertArrayEquals(hex("20000000 04000000 1000000000020000 efbeadde00000000 ffffffff 00000000"),
                v.encode());
        }

        @Test
        void roundTripsExtremes() {
            VfioDeviceIoeventfd v = new VfioDeviceIoeventfd(U32_MAX, U32_TOP, -1L, 7L << 40,
                Integer.MIN_VALUE, U32_MAX);
            assertEquals(v, VfioDeviceIoeventfd.decode(v.encode(), 0));
        }
    }

    @Nested
    class Feature {
        @Test
        void headerOnly() {
            VfioDeviceFeature v = new VfioDeviceFeature(U32_TOP + 8, VfioDeviceFeature.flags(11,
                VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET));
            assertArrayEquals(hex("08000080 0b000100"), v.encode());
            assertEquals(v, VfioDeviceFeature.decode(v.encode(), 0));
        }
    }

    @Nested
    class GfxEdid {
        @Test
        void byteImageAndRoundTrip() {
            VfioRegionGfxEdid v = new VfioRegionGfxEdid(0x1000, 0x400, 128, 1920, 1080, 1);
            assertArrayEquals(hex("00100000 00040000 80000000 80070000 38040000 01000000"), v.encode());
            VfioRegionGfxEdid top = new VfioRegionGfxEdid(U32_MAX, U32_TOP, 1, 2, 3, U32_MAX);
            assertEquals(top, VfioRegionGfxEdid.decode(top.encode(), 0));
        }
    }

    @Nested
    class RegionCaps {
        @Test
        void sparseImage() {
            RegionCap.Sparse s = RegionCap.Sparse.of(new VfioRegionSparseMmapArea(0x2000, 0x1000),
                new VfioRegionSparseMmapArea(7L << 40, -1L));
            assertEquals(48, s.encodedSize());
            assertArrayEquals(hex("0100 0100 00000000 02000000 00000000"
                + " 0020000000000000 0010000000000000"
                + " 0000000000070000 ffffffffffffffff"), s.encode());
            assertEquals(2, s.nrAreas());
        }

        @Test
        void typeImage() {
            RegionCap.Type t = RegionCap.Type.of(VfioRegionType.pciVendorType(0x8086), 1);
            assertArrayEquals(hex("0200 0100 00000000 86800080 01000000"), t.encode());
        }

        @Test
        void msixImage() {
            assertArrayEquals(hex("0300 0100 00000000"), RegionCap.MsixMappable.of().encode());
        }

        @Test
        void unknownKeepsItsBytesAndComparesByContent() {
            RegionCap.Unknown u = new RegionCap.Unknown(0x1234, 3, new byte[] {1, 2, 3});
            assertArrayEquals(hex("3412 0300 00000000 010203"), u.encode());
            assertEquals(u, new RegionCap.Unknown(0x1234, 3, new byte[] {1, 2, 3}));
            assertEquals(u.hashCode(), new RegionCap.Unknown(0x1234, 3, new byte[] {1, 2, 3}).hashCode());
            assertNotEquals(u, new RegionCap.Unknown(0x1234, 3, new byte[] {1, 2, 4}));
            byte[] body = u.body();
            body[0] = 9;
            assertEquals(1, u.body()[0], "immutable");
        }

        @Test
        void decodeRoundTrips() {
            for (RegionCap c : List.of(
                    RegionCap.Sparse.of(),
                    new RegionCap.Sparse(2, U32_TOP, List.of(new VfioRegionSparseMmapArea(-1L, 7L << 40))),
                    new RegionCap.Type(1, U32_MAX, U32_TOP),
                    new RegionCap.MsixMappable(7),
                    new RegionCap.Unknown(4, 1, new byte[8]))) {
                byte[] b = c.encode();
                assertEquals(c, RegionCap.decode(b, 0, b.length), c.toString());
            }
        }
    }
}
