package vfiowb.rulefixture.offsets.pcihelper.pci;

/** Rule fixture: vfio-pci-core's VFIO_PCI_OFFSET_* type, unused, kept until stage 5. */
public final class PciOffsets {
    private PciOffsets() {}

    public static long offsetToIndex(long off) {
        return off >>> 40;
    }
}
