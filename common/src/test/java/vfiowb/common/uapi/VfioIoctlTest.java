package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Request numbers from kernel-facts §A.1's table (x86-64 / arm64 values). */
class VfioIoctlTest {

    @Nested
    class Numbers {
        @Test
        void deviceRequestsConfirmedByCompiledProbe() {
            assertEquals(0x3B6B, VfioIoctl.VFIO_DEVICE_GET_INFO);
            assertEquals(0x3B6C, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO);
            assertEquals(0x3B6D, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO);
            assertEquals(0x3B74, VfioIoctl.VFIO_DEVICE_IOEVENTFD);
            assertEquals(0x3B75, VfioIoctl.VFIO_DEVICE_FEATURE);
        }

        @Test
        void restOfTheTable() {
            assertEquals(0x3B64, VfioIoctl.VFIO_GET_API_VERSION);
            assertEquals(0x3B65, VfioIoctl.VFIO_CHECK_EXTENSION);
            assertEquals(0x3B66, VfioIoctl.VFIO_SET_IOMMU);
            assertEquals(0x3B67, VfioIoctl.VFIO_GROUP_GET_STATUS);
            assertEquals(0x3B6A, VfioIoctl.VFIO_GROUP_GET_DEVICE_FD);
            assertEquals(0x3B6E, VfioIoctl.VFIO_DEVICE_SET_IRQS);
            assertEquals(0x3B6F, VfioIoctl.VFIO_DEVICE_RESET);
            assertEquals(0x3B70, VfioIoctl.VFIO_DEVICE_GET_PCI_HOT_RESET_INFO);
            assertEquals(0x3B71, VfioIoctl.VFIO_DEVICE_PCI_HOT_RESET);
            assertEquals(0x3B72, VfioIoctl.VFIO_DEVICE_QUERY_GFX_PLANE);
            assertEquals(0x3B73, VfioIoctl.VFIO_DEVICE_GET_GFX_DMABUF);
            assertEquals(0x3B76, VfioIoctl.VFIO_DEVICE_BIND_IOMMUFD);
            assertEquals(0x3B77, VfioIoctl.VFIO_DEVICE_ATTACH_IOMMUFD_PT);
            assertEquals(0x3B78, VfioIoctl.VFIO_DEVICE_DETACH_IOMMUFD_PT);
            assertEquals(0x3B79, VfioIoctl.VFIO_MIG_GET_PRECOPY_INFO);
        }

        @Test
        void typeAndBase() {
            assertEquals(0x3B, VfioIoctl.VFIO_TYPE);
            assertEquals(100, VfioIoctl.VFIO_BASE);
            assertEquals(0x3B6C, VfioIoctl.io(8));
            assertThrows(IllegalArgumentException.class, () -> VfioIoctl.io(156));
        }
    }

    @Nested
    class Table {
        @Test
        void everyEntryIsIoOfItsN() {
            VfioIoctl.all().forEach(e -> assertEquals(VfioIoctl.io(e.n()), e.request(), e.name()));
            assertEquals(22, VfioIoctl.all().size());
        }

        @Test
        void requestsAreUniqueSoNamesAreUnambiguous() {
            Set<Integer> seen = new HashSet<>();
            VfioIoctl.all().forEach(e -> assertTrue(seen.add(e.request()), e.name()));
        }

        @Test
        void fdKinds() {
            assertEquals(VfioIoctl.Fd.DEVICE, VfioIoctl.lookup(0x3B6C).get().fd());
            assertEquals(VfioIoctl.Fd.GROUP, VfioIoctl.lookup(0x3B6A).get().fd());
            assertEquals(VfioIoctl.Fd.CONTAINER, VfioIoctl.lookup(0x3B64).get().fd());
            assertEquals(VfioIoctl.Fd.MIG_DATA, VfioIoctl.lookup(0x3B79).get().fd());
            assertEquals(VfioIoctl.Fd.DEVICE, VfioIoctl.lookup(0x3B78).get().fd());
        }
    }

    @Nested
    class Names {
        @Test
        void knownRequests() {
            assertEquals("VFIO_DEVICE_GET_REGION_INFO", VfioIoctl.name(0x3B6C));
            assertEquals("VFIO_DEVICE_FEATURE", VfioIoctl.name(0x3B75));
            assertEquals("VFIO_DEVICE_IOEVENTFD", VfioIoctl.name(VfioIoctl.VFIO_DEVICE_IOEVENTFD));
        }

        @Test
        void unknownRequestsShowHexAndTheirBaseOffset() {
            assertEquals("0x3B7B (VFIO_BASE + 23)", VfioIoctl.name(0x3B7B));
            assertEquals("VFIO_DEVICE_GET_REGION_MMAP", VfioIoctl.name(0x3B7A),
                    "VFIO_BASE + 22 is the proposed WC cookie ioctl, named for narration");
            assertEquals("0x5401", VfioIoctl.name(0x5401));
            assertEquals("0x3B10", VfioIoctl.name(0x3B10));
        }
    }
}
