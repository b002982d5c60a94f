package vfiowb.wcdmabuf.pci;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.mm.PgProt;
import vfiowb.wcdmabuf.core.VfioMmap;

/**
 * {@code struct vfio_pci_mmap} (this series, include/linux/vfio_pci_core.h): vfio-pci-core's
 * cookie, the {@code struct vfio_mmap} Jason's sketch embeds with what the fault path needs: the
 * region (for a BAR, its index), the BAR's physical start, the page protection its mappings
 * get, and for a device-specific region (index 9 and up) the {@code struct vfio_pci_region} it
 * describes, so read, write and mmap reach that region's ops through the cookie instead of
 * indexing {@code vdev->region[]} by the region number. Immutable, like the cookie.
 */
@Models("include/linux/vfio_pci_core.h:struct vfio_pci_mmap")
public final class VfioPciMmap extends VfioMmap {
    private final long physStart;
    private final PgProt pgprot;
    private final VfioPciRegion region;

    /**
     * @param vdev the function
     * @param index the region index
     * @param size the region's size in bytes
     * @param physStart the BAR's bus address ({@code pci_resource_start}); 0 for a region that is
     *     not a BAR
     * @param pgprot the protection mappings get
     */
    public VfioPciMmap(VfioPciCoreDevice vdev, int index, long size, long physStart,
            PgProt pgprot) {
        this(vdev, index, size, physStart, pgprot, null);
    }

    /**
     * A cookie for a device-specific region.
     *
     * @param region the registered region, or null for config space, a BAR, the ROM or VGA
     */
    public VfioPciMmap(VfioPciCoreDevice vdev, int index, long size, long physStart,
            PgProt pgprot, VfioPciRegion region) {
        super(vdev, index, size);
        this.physStart = physStart;
        this.pgprot = Objects.requireNonNull(pgprot, "pgprot");
        this.region = region;
    }

    /** {@code pmmap->phys_start}. */
    public long physStart() {
        return physStart;
    }

    /** {@code pmmap->pgprot}. */
    public PgProt pgprot() {
        return pgprot;
    }

    /** {@code pmmap->region}: the device-specific region, or null. */
    public VfioPciRegion region() {
        return region;
    }

    @Override
    protected String describe() {
        return String.format("phys 0x%x, %s", physStart, pgprot);
    }
}
