package vfiowb.common.hw;

import java.util.HashMap;
import java.util.Map;

/**
 * Byte-addressed little-endian memory whose 4 KiB chunks are allocated on first write, so a
 * 256 TiB BAR that a test touches in three places costs three pages of heap.
 *
 * <p>Bytes never written read as the fill value (0x00 for RAM and registers, 0xFF where absent
 * hardware would float the bus). Accesses are 1, 2, 4 or 8 bytes wide at any alignment, may
 * cross chunk boundaries, and must lie inside {@code [0, size)}; anything else is a bug in the
 * caller and throws {@link IllegalArgumentException}. Every method is atomic with respect to the
 * others (one monitor), which is what a single device's memory gives its users.
 */
public final class SparseMemory implements BusTarget {
    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    private final long size;
    private final byte fill;
    private final Map<Long, byte[]> chunks = new HashMap<>();

    /** A zero-filled memory of {@code size} bytes. */
    public SparseMemory(long size) {
        this(size, 0);
    }

    /** A memory of {@code size} bytes whose unwritten bytes read as {@code fill} (0..255). */
    public SparseMemory(long size, int fill) {
        if (size <= 0) {
            throw new IllegalArgumentException("sparse memory size must be positive: " + size);
        }
        if (fill < 0 || fill > 0xFF) {
            throw new IllegalArgumentException("fill must be a byte value: " + fill);
        }
        this.size = size;
        this.fill = (byte) fill;
    }

    /** The granule in which backing is allocated (4 KiB, whatever the modelled architecture). */
    public static int chunkSize() {
        return CHUNK_SIZE;
    }

    public long size() {
        return size;
    }

    /** The value (0..255) of a byte that was never written. */
    public int fill() {
        return fill & 0xFF;
    }

    @Override
    public synchronized long read(long offset, int width) {
        checkWidth(width);
        checkRange(offset, width);
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (long) (byteAt(offset + i) & 0xFF) << (8 * i);
        }
        return v;
    }

    @Override
    public synchronized void write(long offset, int width, long value) {
        checkWidth(width);
        checkRange(offset, width);
        for (int i = 0; i < width; i++) {
            chunkFor(offset + i)[(int) ((offset + i) & CHUNK_MASK)] = (byte) (value >>> (8 * i));
        }
    }

    /** Copies {@code len} bytes starting at {@code offset} into {@code dst[dstOff..]}. */
    public synchronized void readBytes(long offset, byte[] dst, int dstOff, int len) {
        checkRange(offset, len);
        int done = 0;
        while (done < len) {
            long pos = offset + done;
            int inChunk = (int) Math.min(CHUNK_SIZE - (pos & CHUNK_MASK), len - done);
            byte[] c = chunks.get(pos >>> CHUNK_SHIFT);
            if (c == null) {
                java.util.Arrays.fill(dst, dstOff + done, dstOff + done + inChunk, fill);
            } else {
                System.arraycopy(c, (int) (pos & CHUNK_MASK), dst, dstOff + done, inChunk);
            }
            done += inChunk;
        }
    }

    /** Reads {@code len} bytes starting at {@code offset} into a new array. */
    public byte[] readBytes(long offset, int len) {
        byte[] out = new byte[len];
        readBytes(offset, out, 0, len);
        return out;
    }

    /** Stores {@code src[srcOff..srcOff+len)} at {@code offset}. */
    public synchronized void writeBytes(long offset, byte[] src, int srcOff, int len) {
        checkRange(offset, len);
        int done = 0;
        while (done < len) {
            long pos = offset + done;
            int inChunk = (int) Math.min(CHUNK_SIZE - (pos & CHUNK_MASK), len - done);
            System.arraycopy(src, srcOff + done, chunkFor(pos), (int) (pos & CHUNK_MASK), inChunk);
            done += inChunk;
        }
    }

    /** Stores all of {@code src} at {@code offset}. */
    public void writeBytes(long offset, byte[] src) {
        writeBytes(offset, src, 0, src.length);
    }

    /** Forgets every write: all bytes read as the fill value again and no chunk stays allocated. */
    public synchronized void clear() {
        chunks.clear();
    }

    /** How many 4 KiB chunks have been allocated by writes. */
    public synchronized long touchedPages() {
        return chunks.size();
    }

    /** Heap bytes held for contents: {@code touchedPages() * 4096}. */
    public synchronized long allocatedBytes() {
        return (long) chunks.size() * CHUNK_SIZE;
    }

    private byte byteAt(long pos) {
        byte[] c = chunks.get(pos >>> CHUNK_SHIFT);
        return c == null ? fill : c[(int) (pos & CHUNK_MASK)];
    }

    private byte[] chunkFor(long pos) {
        return chunks.computeIfAbsent(pos >>> CHUNK_SHIFT, k -> {
            byte[] c = new byte[CHUNK_SIZE];
            if (fill != 0) {
                java.util.Arrays.fill(c, fill);
            }
            return c;
        });
    }

    private static void checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("access width must be 1, 2, 4 or 8: " + width);
        }
    }

    private void checkRange(long offset, long len) {
        if (offset < 0 || len < 0 || len > size || offset > size - len) {
            throw new IllegalArgumentException(String.format(
                    "access 0x%x+%d outside memory of 0x%x bytes", offset, len, size));
        }
    }
}
