package vfiowb.common.conformance;

import java.util.Optional;
import vfiowb.common.uapi.VfioIndex;

/**
 * Where a PCI function's MSI-X table and PBA are, as userspace learns it: from the MSI-X
 * capability in config space, read through the CONFIG region (QEMU's
 * {@code vfio_msix_early_setup}, DPDK's {@code pci_vfio_get_msix_bar}).
 */
public record MsixLocation(int capOffset, int entries, int tableBar, long tableOffset, int pbaBar,
        long pbaOffset) {

    private static final int PCI_STATUS = 0x06;
    private static final int PCI_STATUS_CAP_LIST = 0x10;
    private static final int PCI_CAPABILITY_LIST = 0x34;
    private static final int PCI_CAP_ID_MSIX = 0x11;
    private static final int PCI_MSIX_FLAGS = 2;
    private static final int PCI_MSIX_TABLE = 4;
    private static final int PCI_MSIX_PBA = 8;
    private static final int PCI_MSIX_FLAGS_QSIZE = 0x7ff;
    private static final int PCI_MSIX_BIR = 0x7;
    private static final int PCI_FIND_CAP_TTL = 48;
    private static final int PCI_CONFIG_HEADER_END = 0x40;

    /** Bytes of the vector table: 16 per entry. */
    public long tableSize() {
        return 16L * entries;
    }

    /** Bytes of the PBA: a bit per entry in whole qwords. */
    public long pbaSize() {
        return ((entries + 63L) / 64) * 8;
    }

    /** Whether {@code [off, off + len)} of BAR {@code bar} overlaps the table or the PBA. */
    public boolean overlaps(long bar, long off, long len) {
        boolean table = bar == tableBar && off < tableOffset + tableSize() && tableOffset < off + len;
        boolean pba = bar == pbaBar && off < pbaOffset + pbaSize() && pbaOffset < off + len;
        return table || pba;
    }

    /**
     * The config-space capability walk of {@code pci_find_capability} over pread of the CONFIG
     * region (status, capability pointer, then id/next pairs), narrated by {@code f}. Empty if
     * the function has no MSI-X capability or config space cannot be read.
     */
    public static Optional<MsixLocation> read(DeviceFile f) {
        int config = VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
        Optional<Integer> cap = findCapability(f, config, PCI_CAP_ID_MSIX);
        if (cap.isEmpty()) {
            return Optional.empty();
        }
        int at = cap.get();
        Optional<Long> flags = f.readValue(config, at + PCI_MSIX_FLAGS, 2);
        Optional<Long> table = f.readValue(config, at + PCI_MSIX_TABLE, 4);
        Optional<Long> pba = f.readValue(config, at + PCI_MSIX_PBA, 4);
        if (flags.isEmpty() || table.isEmpty() || pba.isEmpty()) {
            return Optional.empty();
        }
        MsixLocation m = new MsixLocation(at, (int) (flags.get() & PCI_MSIX_FLAGS_QSIZE) + 1,
                (int) (table.get() & PCI_MSIX_BIR), table.get() & ~PCI_MSIX_BIR & 0xFFFF_FFFFL,
                (int) (pba.get() & PCI_MSIX_BIR), pba.get() & ~PCI_MSIX_BIR & 0xFFFF_FFFFL);
        f.transcript().add("MSI-X: " + m.entries + " entries, table " + f.name(m.tableBar) + " + "
                + Fmt.hex(m.tableOffset) + " (" + Fmt.hex(m.tableSize()) + " bytes), PBA "
                + f.name(m.pbaBar) + " + " + Fmt.hex(m.pbaOffset));
        return Optional.of(m);
    }

    /** {@code pci_find_capability} through the CONFIG region; the capability's config offset. */
    public static Optional<Integer> findCapability(DeviceFile f, int configIndex, int capId) {
        Optional<Long> status = f.readValue(configIndex, PCI_STATUS, 2);
        if (status.isEmpty() || (status.get() & PCI_STATUS_CAP_LIST) == 0) {
            return Optional.empty();
        }
        Optional<Long> ptr = f.readValue(configIndex, PCI_CAPABILITY_LIST, 1);
        if (ptr.isEmpty()) {
            return Optional.empty();
        }
        long pos = ptr.get() & ~3L;
        for (int ttl = PCI_FIND_CAP_TTL; ttl > 0 && pos >= PCI_CONFIG_HEADER_END; ttl--) {
            Optional<Long> ent = f.readValue(configIndex, pos, 2);
            if (ent.isEmpty()) {
                return Optional.empty();
            }
            long id = ent.get() & 0xff;
            if (id == 0xff) {
                break;
            }
            if (id == capId) {
                return Optional.of((int) pos);
            }
            pos = (ent.get() >> 8) & ~3L;
        }
        return Optional.empty();
    }
}
