package vfiowb.wcalias.pci;

import vfiowb.common.Models;

/**
 * {@code struct vfio_pci_alias} (variant {@code wc-alias}): one alias region of a function, as
 * Mahmoud Adam's RFC keeps them in the device's region array: the region index it answers to,
 * the BAR it aliases and its {@code VFIO_ALIAS_REGION_FLAG_*} attributes. Device-wide: every file
 * of the device sees and may map it, from its creation until the device's last file is closed
 * ({@code vfio_pci_core_disable}). Immutable.
 *
 * @param index the region index ({@code VFIO_PCI_NUM_REGIONS + num_regions + n})
 * @param bar the BAR aliased
 * @param flags the alias's attributes
 */
@Models("drivers/vfio/pci/vfio_pci_core.c:struct vfio_pci_alias")
public record VfioPciAlias(int index, int bar, int flags) {}
