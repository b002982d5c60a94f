package vfiowb.common.hw;

/**
 * A modelled piece of hardware (or an mdev's emulated device) that a VFIO driver binds to.
 * Concrete kinds (PCI functions, platform devices, mdev samples, ...) extend this.
 */
public interface Device {
    /** The instance name, as in the catalogue or as derived from a sysfs directory. */
    String name();
}
