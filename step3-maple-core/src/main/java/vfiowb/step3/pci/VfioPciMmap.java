package vfiowb.step3.pci;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.mm.PgProt;
import vfiowb.step3.core.VfioMmap;

/**
 * {@code struct vfio_pci_mmap} (this series, include/linux/vfio_pci_core.h): vfio-pci-core's
 * cookie, the {@code struct vfio_mmap} Jason's sketch embeds with what the fault path needs: the
 * region (for a BAR, its index), the BAR's physical start and the page protection its mappings
 * get. Immutable, like the cookie.
 */
@Models("include/linux/vfio_pci_core.h:struct vfio_pci_mmap")
public final class VfioPciMmap extends VfioMmap {
    private final long physStart;
    private final PgProt pgprot;

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
        super(vdev, index, size);
        this.physStart = physStart;
        this.pgprot = Objects.requireNonNull(pgprot, "pgprot");
    }

    /** {@code pmmap->phys_start}. */
    public long physStart() {
        return physStart;
    }

    /** {@code pmmap->pgprot}. */
    public PgProt pgprot() {
        return pgprot;
    }

    @Override
    protected String describe() {
        return String.format("phys 0x%x, %s", physStart, pgprot);
    }
}
