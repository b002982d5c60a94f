package vfiowb.step3;

import java.util.List;
import vfiowb.common.stagetests.OpsTablesTests;

/**
 * Stage 3 converts vfio_pci_ops, and only it, to the cookie ops: REGION_INFO, mmap, read, write
 * and ioeventfd through the file's tree; its own ioctl keeps GET_INFO, IRQ_INFO and RESET. Every
 * other table is as kernel-facts §C lists it for v6.19.
 */
class OpsTablesTest extends OpsTablesTests {
    OpsTablesTest() {
        super(new Step3Adapter(), (name, members) -> name.equals("vfio_pci_ops")
                ? List.of("name", "open_device", "close_device", "ioctl", "get_region_info_obj",
                        "mmap_obj", "read_obj", "write_obj", "ioeventfd_obj", "device_feature")
                : members);
    }
}
