package vfiowb.common.mm;

import vfiowb.common.Models;

/**
 * A kernel virtual mapping of a physical range, as {@code memremap} or {@code ioremap_wc}
 * return one: loads and stores at {@code base + offset} of the machine's physical memory.
 * Accesses go through {@link PhysicalMemory}, so a bus analyser sees each one with its width.
 *
 * <p>An access outside the mapping is a bug of the caller (the kernel would touch whatever
 * lies past the mapping); it throws {@link IllegalStateException} rather than reach memory the
 * mapping does not cover.
 */
public final class KernelMapping {
    private final PhysicalMemory memory;
    private final long base;
    private final long length;

    /** Maps {@code length} bytes of {@code memory} from physical address {@code base}. */
    @Models("kernel/iomem.c:memremap")
    public KernelMapping(PhysicalMemory memory, long base, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        this.memory = memory;
        this.base = base;
        this.length = length;
    }

    /** The physical address the mapping starts at. */
    public long base() {
        return base;
    }

    /** How many bytes it maps. */
    public long length() {
        return length;
    }

    private void check(long off, long n) {
        if (off < 0 || n < 0 || off > length - n) {
            throw new IllegalStateException(String.format(
                    "access 0x%x+%d outside the 0x%x-byte kernel mapping of 0x%x", off, n,
                    length, base));
        }
    }

    /** One load of {@code width} bytes at {@code off} ({@code ioread8..64}). */
    public long read(long off, int width) {
        check(off, width);
        return memory.read(base + off, width);
    }

    /** One store of {@code width} bytes at {@code off} ({@code iowrite8..64}). */
    public void write(long off, int width, long value) {
        check(off, width);
        memory.write(base + off, width, value);
    }

    /**
     * {@code memcpy} from the mapping into {@code dst}: 8-byte loads where the address is
     * 8-byte aligned and 8 bytes remain, single bytes elsewhere.
     */
    public void copyFrom(long off, byte[] dst) {
        check(off, dst.length);
        int i = 0;
        while (i < dst.length) {
            int w = pieceWidth(base + off + i, dst.length - i);
            long v = memory.read(base + off + i, w);
            for (int b = 0; b < w; b++) {
                dst[i + b] = (byte) (v >>> (8 * b));
            }
            i += w;
        }
    }

    /** {@code memcpy} of {@code src} into the mapping, in the pieces of {@link #copyFrom}. */
    public void copyTo(long off, byte[] src) {
        check(off, src.length);
        int i = 0;
        while (i < src.length) {
            int w = pieceWidth(base + off + i, src.length - i);
            long v = 0;
            for (int b = 0; b < w; b++) {
                v |= (src[i + b] & 0xffL) << (8 * b);
            }
            memory.write(base + off + i, w, v);
            i += w;
        }
    }

    private static int pieceWidth(long addr, int left) {
        return left >= 8 && (addr & 7) == 0 ? 8 : 1;
    }
}
