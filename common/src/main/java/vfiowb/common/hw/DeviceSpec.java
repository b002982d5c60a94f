package vfiowb.common.hw;

/**
 * A named device instance the model can boot: which VFIO ops table binds to it and how to build
 * its hardware on a {@link SystemBus}. Catalogue entries and sysfs-described PCI functions are
 * both specs.
 */
public interface DeviceSpec {
    /** Unique name, used by clients, tests and the CLI ({@code nic-vf}, {@code mtty}, ...). */
    String name();

    /** The driver module as upstream names it ({@code vfio-pci}, {@code mlx5-vfio-pci}, ...). */
    String driver();

    /** The {@code vfio_device_ops} table that binds ({@code vfio_pci_ops}, ...). */
    String opsTable();

    /** One line for people: what this device is and where its numbers come from. */
    String description();

    /** Builds a fresh instance of the hardware, placing its resources on {@code bus}. */
    Device create(SystemBus bus);
}
