package vfiowb.step1;

import vfiowb.common.stagetests.OpsTablesTests;

/**
 * Stage 1: only {@code vfio_pci_ops} has {@code get_region_info_caps} yet; every other table
 * answers REGION_INFO in its ioctl (its own or vfio-pci-core's).
 */
class OpsTablesTest extends OpsTablesTests {
    OpsTablesTest() {
        super(new Step1Adapter(), (name, members) -> name.equals("vfio_pci_ops") ? members
                : members.stream().filter(m -> !m.equals("get_region_info_caps")).toList());
    }
}
