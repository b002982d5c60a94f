package vfiowb.common.hw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparseMemoryTest {

    @Nested
    class Widths {
        @ParameterizedTest
        @ValueSource(ints = {1, 2, 4, 8})
        void roundTripsEachWidthLittleEndian(int width) {
            SparseMemory m = new SparseMemory(0x10000);
            long value = 0x8877_6655_4433_2211L;
            long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
            m.write(0x100, width, value);
            assertEquals(value & mask, m.read(0x100, width));
            assertEquals(0x11, m.read(0x100, 1));
        }

        @Test
        void narrowReadsSeeBytesOfAWideWrite() {
            SparseMemory m = new SparseMemory(4096);
            m.write(8, 8, 0x0102_0304_0506_0708L);
            assertEquals(0x0708, m.read(8, 2));
            assertEquals(0x0102_0304L, m.read(12, 4));
            assertEquals(0x0506, m.read(10, 2));
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 3, 5, 16, -1})
        void rejectsOtherWidths(int width) {
            SparseMemory m = new SparseMemory(4096);
            assertThrows(IllegalArgumentException.class, () -> m.read(0, width));
            assertThrows(IllegalArgumentException.class, () -> m.write(0, width, 0));
        }

        @Test
        void unalignedAccessIsAllowed() {
            SparseMemory m = new SparseMemory(4096);
            m.write(3, 4, 0xDEAD_BEEFL);
            assertEquals(0xDEAD_BEEFL, m.read(3, 4));
        }
    }

    @Nested
    class CrossChunk {
        @Test
        void eightByteAccessAcrossAPageBoundary() {
            SparseMemory m = new SparseMemory(3 * 4096);
            m.write(4096 - 3, 8, 0x1122_3344_5566_7788L);
            assertEquals(0x1122_3344_5566_7788L, m.read(4096 - 3, 8));
            assertEquals(2, m.touchedPages());
            assertEquals(0x88, m.read(4093, 1));
            assertEquals(0x11, m.read(4100, 1));
        }

        @Test
        void bulkCopiesSpanChunks() {
            SparseMemory m = new SparseMemory(4 * 4096, 0xFF);
            byte[] data = new byte[9000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            m.writeBytes(100, data);
            assertArrayEquals(data, m.readBytes(100, data.length));
            assertEquals(0xFF, m.read(99, 1));
            assertEquals(0xFF, m.read(9100, 1));
            assertEquals(3, m.touchedPages());
        }
    }

    @Nested
    class Fill {
        @Test
        void neverWrittenBytesReadAsFill() {
            assertEquals(0, new SparseMemory(4096).read(0, 8));
            SparseMemory ff = new SparseMemory(8192, 0xFF);
            assertEquals(-1L, ff.read(4000, 8));
            assertEquals(0xFFFF, ff.read(5000, 2));
            assertEquals(0, ff.touchedPages());
        }

        @Test
        void restOfATouchedChunkKeepsTheFill() {
            SparseMemory m = new SparseMemory(8192, 0xA5);
            m.write(10, 1, 0);
            assertEquals(0xA5, m.read(11, 1));
            assertEquals(0xA5A5, m.read(4094, 2));
        }

        @Test
        void clearForgetsEverything() {
            SparseMemory m = new SparseMemory(8192, 0x5A);
            m.write(0, 8, 1);
            m.write(5000, 8, 1);
            m.clear();
            assertEquals(0, m.touchedPages());
            assertEquals(0x5A, m.read(0, 1));
        }

        @Test
        void fillMustBeAByte() {
            assertThrows(IllegalArgumentException.class, () -> new SparseMemory(16, 256));
            assertThrows(IllegalArgumentException.class, () -> new SparseMemory(16, -1));
        }
    }

    @Nested
    class Bounds {
        @Test
        void accessPastTheEndIsAModelBug() {
            SparseMemory m = new SparseMemory(0x100);
            assertThrows(IllegalArgumentException.class, () -> m.read(0xFD, 4));
            assertThrows(IllegalArgumentException.class, () -> m.write(0x100, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> m.read(-1, 1));
            assertThrows(IllegalArgumentException.class, () -> m.readBytes(0xF0, 0x20));
            assertEquals(0, m.read(0xF8, 8));
        }

        @Test
        void sizeMustBePositive() {
            assertThrows(IllegalArgumentException.class, () -> new SparseMemory(0));
        }

        @Test
        void offsetsNearLongMaxDoNotWrap() {
            SparseMemory m = new SparseMemory(Long.MAX_VALUE);
            m.write(Long.MAX_VALUE - 8, 8, 42);
            assertEquals(42, m.read(Long.MAX_VALUE - 8, 8));
            assertThrows(IllegalArgumentException.class, () -> m.read(Long.MAX_VALUE - 4, 8));
        }
    }

    @Nested
    class Sparse {
        @Test
        void a256TiBMemoryWithAFewTouchedPagesStaysSmall() {
            long size = 256L << 40;
            SparseMemory m = new SparseMemory(size);
            long[] offsets = {0, 1L << 40, (128L << 40) + 12345, size - 8, 77L << 30};
            for (long off : offsets) {
                m.write(off, 8, off ^ 0x5555);
            }
            for (long off : offsets) {
                assertEquals(off ^ 0x5555, m.read(off, 8));
            }
            assertEquals(5, m.touchedPages());
            assertEquals(5 * 4096, m.allocatedBytes());
            assertTrue(m.allocatedBytes() < (1 << 16));
            assertEquals(size, m.size());
        }

        @Test
        void readsDoNotAllocate() {
            SparseMemory m = new SparseMemory(2L << 40);
            for (long off = 0; off < (2L << 40); off += 1L << 33) {
                m.read(off, 8);
            }
            assertEquals(0, m.allocatedBytes());
        }
    }

    @Nested
    class AgainstAReference {
        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 42, 20260101, 0x5EED})
        void randomAccessesMatchAByteMap(long seed) {
            Random rnd = new Random(seed);
            long size = 5 * 4096 + 123;
            SparseMemory m = new SparseMemory(size, 0x3C);
            Map<Long, Byte> ref = new HashMap<>();
            int[] widths = {1, 2, 4, 8};
            for (int step = 0; step < 5000; step++) {
                int w = widths[rnd.nextInt(4)];
                long off = (long) (rnd.nextDouble() * (size - w + 1));
                if (rnd.nextBoolean()) {
                    long v = rnd.nextLong();
                    m.write(off, w, v);
                    for (int i = 0; i < w; i++) {
                        ref.put(off + i, (byte) (v >>> (8 * i)));
                    }
                } else {
                    long expect = 0;
                    for (int i = 0; i < w; i++) {
                        expect |= (long) (ref.getOrDefault(off + i, (byte) 0x3C) & 0xFF) << (8 * i);
                    }
                    assertEquals(expect, m.read(off, w), "seed " + seed + " step " + step + " at " + off);
                }
            }
            assertTrue(m.touchedPages() <= 6, "seed " + seed);
        }
    }
}
