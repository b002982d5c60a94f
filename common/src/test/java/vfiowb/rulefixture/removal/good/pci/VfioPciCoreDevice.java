package vfiowb.rulefixture.removal.good.pci;

/** A PCI device with device-specific regions. */
public class VfioPciCoreDevice {
    private final Object[] regions = new Object[2];

    public final Object region(int i) {
        return regions[i];
    }
}
