package vfiowb.common.conformance.clients;

import java.util.Optional;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.MalformedCapChainException;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioRegionInfo;

/**
 * The capability lookup QEMU ({@code vfio_get_region_info_cap}) and DPDK
 * ({@code pci_vfio_info_cap}) share: nothing unless CAPS is set; from {@code cap_offset}, compare
 * ids and follow {@code next}; only {@code next == 0} ends the walk, and {@code cap_offset} 0
 * finds nothing. The real code has no bounds or cycle check; here a walk that would leave the
 * buffer or loop fails the run instead, since the kernel must never emit such a chain.
 */
final class CapWalk {
    private static final int HEADER = 8;

    private CapWalk() {}

    /** The capability with {@code id}, decoded, if the walk finds it. */
    static Optional<RegionCap> find(DeviceFile.RegionInfoCall c, int id, Transcript t, String client) {
        if (!c.ok() || !c.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS)) {
            return Optional.empty();
        }
        byte[] buf = c.buffer();
        long off = c.head().capOffset();
        int steps = 0;
        while (off != 0) {
            if (off + HEADER > buf.length || ++steps > buf.length / HEADER) {
                t.fail(client + "'s capability walk would " + (off + HEADER > buf.length
                        ? "read past the buffer at " + off : "loop") + " (region " + c.index() + ")");
                return Optional.empty();
            }
            int at = (int) off;
            if (LE.getU16(buf, at) == id) {
                try {
                    return Optional.of(RegionCap.decode(buf, at, buf.length - at));
                } catch (MalformedCapChainException e) {
                    t.fail(client + " finds a truncated capability " + id + ": " + e.getMessage());
                    return Optional.empty();
                }
            }
            off = LE.getU32(buf, at + 4);
        }
        return Optional.empty();
    }
}
