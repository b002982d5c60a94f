package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * An IBM s390 Internal Shared Memory function (1014:04ed). Its BAR0 is 256 TiB (sparse here)
 * and zPCI reaches it only through load/store instructions: a store block (PCISTB) moves at
 * most {@code maxstbl} bytes and must not cross a 4 KiB boundary, which is why ism-vfio-pci
 * splits writes.
 *
 * <p>Its BARs are not in the CPU's physical address space: s390 without MIO gives each BAR an
 * entry of the zPCI I/O map ({@code zpci_setup_bus_resources}, arch/s390/pci/pci.c), a token
 * that PCI load and store instructions resolve, so a 256 TiB BAR exists whatever the physical
 * address width of the arch the model runs the driver on.
 */
@Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_write")
public class IsmFunction extends PciFunction {
    private static final long BLOCK_BOUNDARY = 4096;

    private final int maxstbl;

    public IsmFunction(PciFunctionSpec spec, SystemBus bus, int maxstbl) {
        super(spec, bus);
        if (maxstbl < 8 || maxstbl > 4096) {
            throw new IllegalArgumentException("maxstbl must be 8..4096: " + maxstbl);
        }
        this.maxstbl = maxstbl;
    }

    /** Every memory BAR in the zPCI I/O map ({@link SystemBus.Window#ZPCI_IOMAP}). */
    @Override
    @Models("arch/s390/pci/pci.c:zpci_setup_bus_resources")
    protected SystemBus.Window window(PciBar b) {
        return b.isIo() ? super.window(b) : SystemBus.Window.ZPCI_IOMAP;
    }

    /** {@code zdev->maxstbl}: the longest store block the function accepts. */
    public int maxstbl() {
        return maxstbl;
    }

    /**
     * PCI STORE BLOCK of {@code data} at {@code offset} in BAR {@code bar}. A block longer than
     * {@code maxstbl} or crossing a 4 KiB boundary is an operand exception: the driver must never
     * issue one, so it throws {@link IllegalArgumentException}.
     */
    public void pciStoreBlock(int bar, long offset, byte[] data) {
        if (data.length == 0 || data.length > maxstbl) {
            throw new IllegalArgumentException("store block of " + data.length + " bytes (maxstbl "
                    + maxstbl + ")");
        }
        if (offset / BLOCK_BOUNDARY != (offset + data.length - 1) / BLOCK_BOUNDARY) {
            throw new IllegalArgumentException(String.format(
                    "store block 0x%x+%d crosses a 4 KiB boundary", offset, data.length));
        }
        if (!memoryEnabled()) {
            return;
        }
        PciBar b = bars().get(bar);
        if (b.isEmpty() || b.isIo() || offset < 0 || offset + data.length > b.size()) {
            throw new IllegalArgumentException(String.format("%s: store block 0x%x+%d outside "
                    + "memory BAR%d", name(), offset, data.length, bar));
        }
        bus().iomapStoreBlock(b.start() + offset, data);
    }
}
