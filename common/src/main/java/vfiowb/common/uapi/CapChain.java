package vfiowb.common.uapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The defensive walk of a capability chain in an INFO reply, as a careful client performs it
 * (userspace-clients §3.2 CAP-08: crosvm's bounds checks, the selftests' walker).
 *
 * <p>The kernel's own output always passes. A chain is refused with a {@link
 * MalformedCapChainException} naming the offending offset when:
 * <ul>
 *   <li>{@code cap_offset} is non-zero but lies inside the fixed structure;</li>
 *   <li>a header does not fit below {@code min(argsz, buffer length)};</li>
 *   <li>a {@code next} does not move past the current header (a loop, a backward or
 *       self link, or overlapping headers), which also bounds the walk to
 *       {@code (argsz - fixed size) / 8} steps;</li>
 *   <li>a known capability's body runs past the next capability or the end of the buffer
 *       (for instance sparse areas beyond the end).</li>
 * </ul>
 * {@code cap_offset} 0 means no capabilities were copied, even with the CAPS flag set (the
 * buffer was too small and {@code argsz} says how much is needed). Alignment of offsets is not
 * checked: the kernel aligns them, but pre-2023 device-info chains were not, and clients accept
 * them.
 */
public final class CapChain {
    private CapChain() {}

    /**
     * One capability found by the walk: its buffer offset, its header, and how many bytes belong
     * to it (up to {@code next}, or to the end of the valid buffer for the last one).
     */
    public record Found(int offset, VfioInfoCapHeader header, int extent) {}

    /**
     * Walks and decodes the region capabilities of a {@code VFIO_DEVICE_GET_REGION_INFO} reply.
     *
     * @param buf       the whole reply buffer, fixed structure first
     * @param argsz     {@code argsz} as the reply states it; the walk never reads past
     *                  {@code min(argsz, buf.length)}
     * @param capOffset {@code cap_offset} from the reply
     */
    public static List<RegionCap> parse(byte[] buf, long argsz, long capOffset) {
        return parse(buf, argsz, capOffset, VfioRegionInfo.SIZE);
    }

    /** {@link #parse(byte[], long, long)} after a fixed structure of {@code fixedSize} bytes. */
    public static List<RegionCap> parse(byte[] buf, long argsz, long capOffset, int fixedSize) {
        List<RegionCap> caps = new ArrayList<>();
        for (Found f : walk(buf, argsz, capOffset, fixedSize)) {
            caps.add(RegionCap.decode(buf, f.offset(), f.extent()));
        }
        return List.copyOf(caps);
    }

    /**
     * Follows the links without interpreting ids, for any INFO reply (region, device, IOMMU
     * info use separate id namespaces).
     */
    public static List<Found> walk(byte[] buf, long argsz, long capOffset, int fixedSize) {
        Objects.requireNonNull(buf, "buf");
        Checks.u32("argsz", argsz);
        Checks.u32("cap_offset", capOffset);
        if (fixedSize < 0) {
            throw new IllegalArgumentException("fixed size " + fixedSize);
        }
        if (capOffset == 0) {
            return List.of();
        }
        long limit = Math.min(argsz, buf.length);
        if (capOffset < fixedSize) {
            throw new MalformedCapChainException(capOffset, "cap_offset " + hex(capOffset)
                + " lies inside the " + fixedSize + "-byte fixed structure");
        }
        List<Found> found = new ArrayList<>();
        long at = capOffset;
        while (true) {
            if (at + VfioInfoCapHeader.SIZE > limit) {
                throw new MalformedCapChainException(at, "header [" + hex(at) + ", "
                    + hex(at + VfioInfoCapHeader.SIZE) + ") extends past the end of the valid "
                    + "buffer at " + hex(limit) + " (argsz " + num(argsz) + ", buffer "
                    + buf.length + ")");
            }
            VfioInfoCapHeader h = VfioInfoCapHeader.decode(buf, (int) at);
            long next = h.next();
            if (next != 0 && next < at + VfioInfoCapHeader.SIZE) {
                throw new MalformedCapChainException(at, "next " + hex(next) + " does not move past this "
                    + "header (" + (next <= at ? "loop" : "overlap") + ")");
            }
            long end = next != 0 ? Math.min(next, limit) : limit;
            found.add(new Found((int) at, h, (int) (end - at)));
            if (next == 0) {
                return List.copyOf(found);
            }
            at = next;
        }
    }

    /** A buffer offset in a message: hex, as the kernel prints them. */
    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /**
     * A value read back from the reply: decimal while small, hex from 0x10000 on, so a field
     * the kernel left poisoned reads {@code 0xa5a5a5a5}, not 2779096485.
     */
    private static String num(long v) {
        return v >= 0 && v < 0x10000 ? Long.toString(v) : hex(v);
    }
}
