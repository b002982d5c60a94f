package vfiowb.common.uapi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded {@code VFIO_DEVICE_GET_REGION_INFO} reply: the fixed structure and, when the kernel
 * copied them, the capabilities.
 *
 * <p>Capabilities are parsed only when {@code VFIO_REGION_INFO_FLAG_CAPS} is set and
 * {@code cap_offset} is non-zero; QEMU, DPDK and SPDK test CAPS first and ignore a cap_offset
 * without it. CAPS with {@code cap_offset} 0 is the kernel's "buffer too small" answer:
 * {@link #needsLargerBuffer()} is then true and {@code info().argsz()} is the size to retry with.
 */
public record RegionInfoReply(VfioRegionInfo info, List<RegionCap> caps) {
    public RegionInfoReply {
        Objects.requireNonNull(info, "info");
        caps = List.copyOf(caps);
    }

    /**
     * Decodes a reply buffer as returned by the ioctl.
     *
     * @throws MalformedCapChainException if the chain fails {@link CapChain}'s checks
     */
    public static RegionInfoReply decode(byte[] buf) {
        VfioRegionInfo info = VfioRegionInfo.decode(buf, 0);
        if (!info.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS) || info.capOffset() == 0) {
            return new RegionInfoReply(info, List.of());
        }
        return new RegionInfoReply(info, CapChain.parse(buf, info.argsz(), info.capOffset()));
    }

    /** CAPS set with {@code cap_offset} 0: reissue the ioctl with {@code argsz = info().argsz()}. */
    public boolean needsLargerBuffer() {
        return info.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS) && info.capOffset() == 0;
    }

    /** The first capability of the given class. */
    public <T extends RegionCap> Optional<T> cap(Class<T> kind) {
        for (RegionCap c : caps) {
            if (kind.isInstance(c)) {
                return Optional.of(kind.cast(c));
            }
        }
        return Optional.empty();
    }

    public Optional<RegionCap.Sparse> sparseMmap() {
        return cap(RegionCap.Sparse.class);
    }

    public Optional<RegionCap.Type> type() {
        return cap(RegionCap.Type.class);
    }

    public boolean msixMappable() {
        return cap(RegionCap.MsixMappable.class).isPresent();
    }
}
