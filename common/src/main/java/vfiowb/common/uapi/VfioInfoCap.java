package vfiowb.common.uapi;

import java.util.Arrays;
import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Slab;
import vfiowb.common.trace.KernelProbe;

/**
 * {@code struct vfio_info_cap { struct vfio_info_cap_header *buf; size_t size; }}: the
 * capability chain a driver builds while answering an INFO ioctl, and the helpers of
 * drivers/vfio/vfio_main.c that build it.
 *
 * <p>While the chain is being built every {@code next} is relative to the start of this buffer
 * (the first capability is at 0). Before copying the chain out after the fixed structure, the
 * core calls {@link #vfioInfoCapShift} to make the links relative to the user's INFO buffer.
 *
 * <p>Where the model differs from the C:
 * <ul>
 *   <li>{@code vfio_info_cap_add()} returns a pointer to the new header; here it returns the
 *       header's offset in the buffer, or a negative errno where the C returns an
 *       {@code ERR_PTR}.</li>
 *   <li>{@code krealloc} failure is modelled two ways: by fault injection ({@link
 *       Slab#shouldFailslab}, the task's {@code fail-nth}), and by an optional allocation limit
 *       ({@link #withAllocationLimit}); either way the add fails as the kernel's does (buffer
 *       freed, size 0, {@code -ENOMEM}). Otherwise an add fails only beyond what a Java array
 *       can hold.</li>
 *   <li>The kernel WARNs on a misaligned shift and continues; the model throws
 *       {@link IllegalStateException}, a broken invariant. So it does for other driver bugs the
 *       C would turn into memory corruption: a capability smaller than its header, an add after
 *       the shift (the tail walk would follow user-relative links), a write past the chain, a
 *       corrupt link found while walking.</li>
 *   <li>Not thread-safe: like the C, a chain belongs to one ioctl call.</li>
 * </ul>
 */
@Models("include/linux/vfio.h:struct vfio_info_cap")
public final class VfioInfoCap {
    private static final int HEADER = VfioInfoCapHeader.SIZE;
    /** The largest Java array the VM reliably allocates. */
    private static final int ARRAY_MAX = Integer.MAX_VALUE - 8;

    private final int allocationLimit;
    private byte[] buf = new byte[0];
    private int size;
    private boolean shifted;

    /** An empty chain ({@code struct vfio_info_cap caps = { .buf = NULL, .size = 0 };}). */
    public VfioInfoCap() {
        this(ARRAY_MAX);
    }

    private VfioInfoCap(int allocationLimit) {
        this.allocationLimit = allocationLimit;
    }

    /** An empty chain whose {@code krealloc} fails once the buffer would exceed {@code maxBytes}. */
    public static VfioInfoCap withAllocationLimit(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("limit " + maxBytes);
        }
        return new VfioInfoCap(Math.min(maxBytes, ARRAY_MAX));
    }

    /**
     * Appends a zeroed capability of {@code size} bytes (rounded up to 8, so the next one stays
     * aligned) with header {@code {id, version, next 0}}, and links it from the current tail.
     *
     * @return the new header's offset in the buffer, or {@code -ENOMEM} after freeing the whole
     *         chain, as the kernel does when {@code krealloc} fails
     */
    @Models("drivers/vfio/vfio_main.c:vfio_info_cap_add")
    public static int vfioInfoCapAdd(VfioInfoCap caps, int size, int id, int version) {
        KernelProbe.here();
        Objects.requireNonNull(caps, "caps");
        if (size < HEADER) {
            throw new IllegalStateException("capability of " + size + " bytes cannot hold its "
                + HEADER + "-byte header");
        }
        if (caps.shifted) {
            throw new IllegalStateException("vfio_info_cap_add after vfio_info_cap_shift: "
                + "links are no longer relative to the chain buffer");
        }
        Checks.u16("id", id);
        Checks.u16("version", version);
        long aligned = (size + 7L) & ~7L;
        long newSize = caps.size + aligned;
        if (newSize > caps.allocationLimit || Slab.shouldFailslab()) {
            caps.buf = new byte[0];
            caps.size = 0;
            return -Errno.ENOMEM;
        }
        caps.buf = Arrays.copyOf(caps.buf, (int) newSize);
        int header = caps.size;
        new VfioInfoCapHeader(id, version, 0).encodeInto(caps.buf, header);
        int tail = caps.tail();
        VfioInfoCapHeader.putNext(caps.buf, tail, header);
        caps.size = (int) newSize;
        return header;
    }

    /**
     * Adds {@code offset} (the size of the fixed INFO structure the chain will follow) to every
     * {@code next} link, so that links count from the start of the user's buffer.
     *
     * @throws IllegalStateException where the kernel would {@code WARN_ON(!IS_ALIGNED(offset, 8))},
     *         or on an empty chain (the kernel never shifts one; it would dereference NULL)
     */
    @Models("drivers/vfio/vfio_main.c:vfio_info_cap_shift")
    public static void vfioInfoCapShift(VfioInfoCap caps, int offset) {
        Objects.requireNonNull(caps, "caps");
        if (offset % 8 != 0) {
            throw new IllegalStateException("WARN_ON: capability chain shifted by " + offset
                + ", not a multiple of 8");
        }
        if (caps.size == 0) {
            throw new IllegalStateException("vfio_info_cap_shift on an empty chain");
        }
        if (caps.shifted) {
            throw new IllegalStateException("capability chain shifted twice");
        }
        int at = 0;
        for (long next = VfioInfoCapHeader.getNext(caps.buf, at); next != 0;
                next = VfioInfoCapHeader.getNext(caps.buf, at)) {
            caps.checkLink(at, next);
            VfioInfoCapHeader.putNext(caps.buf, at, next + offset);
            at = (int) next;
        }
        caps.shifted = true;
    }

    /**
     * Copies a caller-built capability into the chain: {@code vfio_info_cap_add()} with the
     * header's id and version and {@code cap.length} as size, then the bytes after the header.
     * The caller's {@code next} is ignored.
     *
     * @return 0, or {@code -ENOMEM} as {@link #vfioInfoCapAdd}
     */
    @Models("drivers/vfio/vfio_main.c:vfio_info_add_capability")
    public static int vfioInfoAddCapability(VfioInfoCap caps, byte[] cap) {
        if (cap.length < HEADER) {
            throw new IllegalStateException("capability of " + cap.length + " bytes cannot hold its header");
        }
        VfioInfoCapHeader h = VfioInfoCapHeader.decode(cap, 0);
        int header = vfioInfoCapAdd(caps, cap.length, h.id(), h.version());
        if (header < 0) {
            return header;
        }
        System.arraycopy(cap, HEADER, caps.buf, header + HEADER, cap.length - HEADER);
        return 0;
    }

    /** {@link #vfioInfoAddCapability(VfioInfoCap, byte[])} of a capability's encoding. */
    @Models("drivers/vfio/vfio_main.c:vfio_info_add_capability")
    public static int vfioInfoAddCapability(VfioInfoCap caps, RegionCap cap) {
        return vfioInfoAddCapability(caps, cap.encode());
    }

    /** {@code caps->size}: bytes in the chain, a multiple of 8. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Whether {@link #vfioInfoCapShift} has run, making links relative to the user's buffer. */
    public boolean isShifted() {
        return shifted;
    }

    /** A copy of the chain's {@link #size()} bytes, what the core copies to userspace. */
    public byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }

    /** The header at {@code offset}, for inspection. */
    public VfioInfoCapHeader header(int offset) {
        checkRange(offset, HEADER);
        return VfioInfoCapHeader.decode(buf, offset);
    }

    /**
     * Writes {@code src} at {@code offset}: how a driver fills a capability's body after
     * {@link #vfioInfoCapAdd} returned its header.
     *
     * @throws IllegalStateException if the write would leave the chain
     */
    public void write(int offset, byte[] src) {
        checkRange(offset, src.length);
        System.arraycopy(src, 0, buf, offset, src.length);
    }

    /** {@link #write} of one {@code __u32}, little-endian. */
    public void putU32(int offset, long value) {
        checkRange(offset, 4);
        LE.putU32(buf, offset, value);
    }

    /** {@link #write} of one {@code __u64}, little-endian. */
    public void putU64(int offset, long value) {
        checkRange(offset, 8);
        LE.putU64(buf, offset, value);
    }

    /** The last header of the chain, found as the kernel does: from 0, follow {@code next} until 0. */
    private int tail() {
        int at = 0;
        for (long next = VfioInfoCapHeader.getNext(buf, at); next != 0; next = VfioInfoCapHeader.getNext(buf, at)) {
            checkLink(at, next);
            at = (int) next;
        }
        return at;
    }

    private void checkLink(int at, long next) {
        if (next <= at || next > size - HEADER) {
            throw new IllegalStateException("capability chain corrupt: header at " + at + " links to "
                + next + " in a " + size + "-byte chain");
        }
    }

    private void checkRange(int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > size) {
            throw new IllegalStateException("access [" + offset + ", +" + length + ") outside the "
                + size + "-byte capability chain");
        }
    }

    @Override
    public String toString() {
        return "VfioInfoCap[size=" + size + (shifted ? ", shifted" : "") + "]";
    }
}
