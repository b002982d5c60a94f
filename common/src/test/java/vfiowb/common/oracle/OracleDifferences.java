package vfiowb.common.oracle;

import static vfiowb.common.oracle.DeclaredDifference.MODEL_BUG;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place where the model may answer otherwise than the Linux 6.12 transcripts, each
 * entry with its reason and the upstream commit that makes v6.19 differ from 6.12, or marked
 * {@link DeclaredDifference#MODEL_BUG}. Every stage's replay fails on a difference not listed
 * here and on an entry that no longer shows, so the list shrinks as fixes land. docs/oracle.md
 * shows the same table.
 */
public final class OracleDifferences {
    private OracleDifferences() {}

    public static final List<DeclaredDifference> DECLARED = List.of(
            new DeclaredDifference(
                    List.of("ivshmem-plain", "pci-testdev", "rtl8139", "secondary-vga"),
                    "irq_info", "index=2 argsz=16", "flags", "0x9", "0x1",
                    "vfio_pci_ioctl_get_irq_info sets NORESIZE for the MSI-X index unless the "
                            + "device has dynamic MSI-X (vdev->has_dyn_msix, which needs MSI-X); "
                            + "the model never sets it for index 2",
                    MODEL_BUG),
            new DeclaredDifference(
                    List.of("rtl8139", "virtio-net-pci-transitional"),
                    "pread", "index=6 mem_disabled_rom_4@0", "result", "ENOMEM", "EIO",
                    "vfio_pci_bar_rw maps the ROM with pci_map_rom before any access; with "
                            + "memory decode off the 0x55aa signature reads as all-ones, "
                            + "pci_map_rom returns NULL and the read fails with -ENOMEM before "
                            + "vfio_pci_core_do_io_rw's memory-enable check (-EIO) is reached",
                    MODEL_BUG));

    /** The differences no entry of {@code declared} explains. */
    static List<Difference> undeclared(List<Difference> found, List<DeclaredDifference> declared) {
        return found.stream().filter(d -> declared.stream().noneMatch(x -> x.matches(d))).toList();
    }

    /**
     * Entries of {@code declared} that no longer show on a device they name, as
     * {@code "device: entry"}; {@code found} holds every replayed device's differences.
     */
    static List<String> stale(Map<String, List<Difference>> found, List<DeclaredDifference> declared) {
        List<String> out = new ArrayList<>();
        for (DeclaredDifference x : declared) {
            for (String device : x.devices()) {
                List<Difference> ds = found.get(device);
                if (ds == null) {
                    throw new IllegalStateException(device + " was not replayed");
                }
                if (ds.stream().noneMatch(x::matches)) {
                    out.add(device + ": " + x);
                }
            }
        }
        return out;
    }
}
