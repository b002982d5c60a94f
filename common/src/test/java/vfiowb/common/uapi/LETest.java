package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LETest {

    @Nested
    class ByteOrder {
        @Test
        void leastSignificantByteFirst() {
            byte[] b = new byte[16];
            LE.putU16(b, 0, 0xBEEF);
            LE.putU32(b, 2, 0x8000_0001L);
            LE.putU64(b, 6, 0x0102_0304_0506_0708L);
            assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBE, 1, 0, 0, (byte) 0x80,
                8, 7, 6, 5, 4, 3, 2, 1, 0, 0}, b);
        }

        @Test
        void unalignedAccessIsFine() {
            byte[] b = new byte[13];
            LE.putU64(b, 5, -1L);
            assertEquals(-1L, LE.getU64(b, 5));
            assertEquals(0, b[4]);
        }
    }

    @Nested
    class UnsignedRanges {
        @Test
        void u32AboveTwoToThe31ReadsPositive() {
            byte[] b = new byte[4];
            LE.putU32(b, 0, 0xFFFF_FFFFL);
            assertEquals(0xFFFF_FFFFL, LE.getU32(b, 0));
            assertEquals(-1, LE.getS32(b, 0));
        }

        @Test
        void u64KeepsItsBitPattern() {
            byte[] b = new byte[8];
            LE.putU64(b, 0, 7L << 40);
            assertEquals(7L << 40, LE.getU64(b, 0));
            LE.putU64(b, 0, 0x8000_0000_0000_0000L);
            assertEquals(Long.MIN_VALUE, LE.getU64(b, 0));
        }

        @Test
        void storesRefuseValuesTheTypeCannotHold() {
            byte[] b = new byte[8];
            assertThrows(IllegalArgumentException.class, () -> LE.putU16(b, 0, 0x10000));
            assertThrows(IllegalArgumentException.class, () -> LE.putU16(b, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> LE.putU32(b, 0, 1L << 32));
            assertThrows(IllegalArgumentException.class, () -> LE.putU32(b, 0, -1));
        }
    }

    @Nested
    class Bounds {
        @Test
        void accessPastTheEndThrows() {
            byte[] b = new byte[7];
            assertThrows(IndexOutOfBoundsException.class, () -> LE.getU64(b, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> LE.putU32(b, 4, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> LE.getU16(b, -1));
        }
    }
}
