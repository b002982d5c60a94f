package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * Where a function sits in the PCI hierarchy, as far as the PCI core's bus reset
 * ({@code pci_reset_bus_function}: a hotplug slot's reset, else {@code pci_parent_bus_reset})
 * cares. The model has no bridges or slots, so this is a declared property of the function:
 * <ul>
 * <li>{@link #ROOT_BUS}: on a root bus (an integrated endpoint, or a conventional device on
 *     QEMU's q35 host bridge as in the real-kernel transcripts): no upstream bridge, so no
 *     secondary bus reset, and no hotplug slot;</li>
 * <li>{@link #ALONE_BEHIND_BRIDGE}: the only function on the secondary bus of a bridge or root
 *     port (the usual place of a discrete PCIe endpoint): the bridge can reset its bus;</li>
 * <li>{@link #SHARED_BUS}: on a bus with other functions (a multi-function device, an SR-IOV
 *     VF next to its PF and siblings): resetting the bus would reset them too, so the function
 *     reset refuses it.</li>
 * </ul>
 * Hotplug slots (pciehp's {@code reset_slot}) are not modelled; where one exists it resets the
 * same secondary bus, so {@link #ALONE_BEHIND_BRIDGE} covers it.
 */
@Models("drivers/pci/pci.c:pci_parent_bus_reset")
public enum BusPlacement {
    ROOT_BUS, ALONE_BEHIND_BRIDGE, SHARED_BUS;

    /** Whether {@code pci_reset_bus_function} can reset a function placed here. */
    public boolean busResetPossible() {
        return this == ALONE_BEHIND_BRIDGE;
    }
}
