package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Sizes and offsets as kernel-facts §A.2-§A.9 and userspace-clients §0.1 state them (compiled
 * against the uapi header, x86-64). The expected numbers are written from those documents.
 */
class UapiLayoutTest {

    /** {@code {name, offset, size}} rows. */
    private static void assertLayout(UapiStruct s, String cName, int sizeof, Object[][] rows) {
        assertEquals(cName, s.name());
        assertEquals(sizeof, s.size(), "sizeof(struct " + cName + ")");
        assertEquals(rows.length, s.fields().size(), cName + " member count");
        assertAll(java.util.Arrays.stream(rows).map(r -> () -> {
            UapiField f = s.field((String) r[0]);
            assertEquals((int) r[1], f.offset(), cName + "." + r[0] + " offset");
            assertEquals((int) r[2], f.size(), cName + "." + r[0] + " size");
        }));
    }

    @Nested
    class Structs {
        @Test
        void capHeader() {
            assertLayout(VfioInfoCapHeader.LAYOUT, "vfio_info_cap_header", 8,
                new Object[][] {{"id", 0, 2}, {"version", 2, 2}, {"next", 4, 4}});
            assertEquals(UapiType.U16, VfioInfoCapHeader.LAYOUT.field("id").type());
            assertEquals(UapiType.U32, VfioInfoCapHeader.LAYOUT.field("next").type());
            assertEquals(8, VfioInfoCapHeader.SIZE);
        }

        @Test
        void deviceInfo() {
            assertLayout(VfioDeviceInfo.LAYOUT, "vfio_device_info", 24, new Object[][] {
                {"argsz", 0, 4}, {"flags", 4, 4}, {"num_regions", 8, 4}, {"num_irqs", 12, 4},
                {"cap_offset", 16, 4}, {"pad", 20, 4}});
            assertEquals(24, VfioDeviceInfo.SIZE);
        }

        @Test
        void regionInfo() {
            assertLayout(VfioRegionInfo.LAYOUT, "vfio_region_info", 32, new Object[][] {
                {"argsz", 0, 4}, {"flags", 4, 4}, {"index", 8, 4}, {"cap_offset", 12, 4},
                {"size", 16, 8}, {"offset", 24, 8}});
            assertEquals(UapiType.U64, VfioRegionInfo.LAYOUT.field("size").type());
            assertEquals(32, VfioRegionInfo.SIZE);
            assertEquals(32, VfioRegionInfo.LAYOUT.field("offset").end(), "minsz = offsetofend(offset)");
        }

        @Test
        void irqInfo() {
            assertLayout(VfioIrqInfo.LAYOUT, "vfio_irq_info", 16, new Object[][] {
                {"argsz", 0, 4}, {"flags", 4, 4}, {"index", 8, 4}, {"count", 12, 4}});
        }

        @Test
        void sparseMmapCap() {
            assertLayout(RegionCap.Sparse.LAYOUT, "vfio_region_info_cap_sparse_mmap", 16, new Object[][] {
                {"header", 0, 8}, {"nr_areas", 8, 4}, {"reserved", 12, 4}, {"areas", 16, 0}});
            assertTrue(RegionCap.Sparse.LAYOUT.flexibleMember().isPresent());
            assertEquals("struct vfio_region_sparse_mmap_area[]",
                RegionCap.Sparse.LAYOUT.field("areas").cType());
            assertLayout(VfioRegionSparseMmapArea.LAYOUT, "vfio_region_sparse_mmap_area", 16,
                new Object[][] {{"offset", 0, 8}, {"size", 8, 8}});
        }

        @Test
        void typeCap() {
            assertLayout(RegionCap.Type.LAYOUT, "vfio_region_info_cap_type", 16, new Object[][] {
                {"header", 0, 8}, {"type", 8, 4}, {"subtype", 12, 4}});
            assertEquals("struct vfio_info_cap_header", RegionCap.Type.LAYOUT.field("header").cType());
        }

        @Test
        void msixMappableCapIsHeaderOnly() {
            assertEquals(8, RegionCap.MsixMappable.LAYOUT.size());
            assertEquals(1, RegionCap.MsixMappable.LAYOUT.fields().size());
        }

        @Test
        void ioeventfd() {
            assertLayout(VfioDeviceIoeventfd.LAYOUT, "vfio_device_ioeventfd", 32, new Object[][] {
                {"argsz", 0, 4}, {"flags", 4, 4}, {"offset", 8, 8}, {"data", 16, 8}, {"fd", 24, 4},
                {"reserved", 28, 4}});
            assertEquals(UapiType.S32, VfioDeviceIoeventfd.LAYOUT.field("fd").type());
        }

        @Test
        void deviceFeature() {
            assertLayout(VfioDeviceFeature.LAYOUT, "vfio_device_feature", 8, new Object[][] {
                {"argsz", 0, 4}, {"flags", 4, 4}, {"data", 8, 0}});
            assertEquals(8, VfioDeviceFeature.dataOffset());
            assertEquals("__u8[]", VfioDeviceFeature.LAYOUT.field("data").cType());
        }

        @Test
        void gfxEdid() {
            assertLayout(VfioRegionGfxEdid.LAYOUT, "vfio_region_gfx_edid", 24, new Object[][] {
                {"edid_offset", 0, 4}, {"edid_max_size", 4, 4}, {"edid_size", 8, 4},
                {"max_xres", 12, 4}, {"max_yres", 16, 4}, {"link_state", 20, 4}});
        }
    }

    @Nested
    class Catalogue {
        @Test
        void listsEveryModelledStructOnce() {
            List<UapiStruct> all = UapiCatalogue.structs();
            Set<String> names = new HashSet<>();
            all.forEach(s -> assertTrue(names.add(s.name()), "duplicate " + s.name()));
            assertTrue(names.containsAll(Set.of("vfio_info_cap_header", "vfio_device_info",
                "vfio_region_info", "vfio_irq_info", "vfio_region_info_cap_sparse_mmap",
                "vfio_region_sparse_mmap_area", "vfio_region_info_cap_type",
                "VFIO_REGION_INFO_CAP_MSIX_MAPPABLE", "vfio_device_ioeventfd", "vfio_device_feature",
                "vfio_region_gfx_edid")), names.toString());
        }

        @Test
        void lookupByNameReturnsTheCodecsDescriptor() {
            assertTrue(UapiCatalogue.struct("vfio_region_info").get() == VfioRegionInfo.LAYOUT);
            assertTrue(UapiCatalogue.struct("nope").isEmpty());
        }

        @Test
        void theDescriptorIsWhatTheCodecWrites() {
            byte[] b = new VfioRegionInfo(1, 2, 3, 4, 5, 6).encode();
            UapiStruct s = VfioRegionInfo.LAYOUT;
            assertEquals(1, LE.getU32(b, s.offsetOf("argsz")));
            assertEquals(2, LE.getU32(b, s.offsetOf("flags")));
            assertEquals(3, LE.getU32(b, s.offsetOf("index")));
            assertEquals(4, LE.getU32(b, s.offsetOf("cap_offset")));
            assertEquals(5, LE.getU64(b, s.offsetOf("size")));
            assertEquals(6, LE.getU64(b, s.offsetOf("offset")));
        }
    }

    @Nested
    class Builder {
        @Test
        void refusesImplicitPadding() {
            assertThrows(IllegalStateException.class,
                () -> UapiStruct.layout("holey").u32("a").u64("b"));
        }

        @Test
        void refusesMembersAfterAFlexibleArray() {
            assertThrows(IllegalStateException.class,
                () -> UapiStruct.layout("x").u32("a").u8Array("data").u32("b"));
        }

        @Test
        void roundsSizeofUpToTheLargestAlignment() {
            UapiStruct s = UapiStruct.layout("tail").u64("a").u32("b").build();
            assertEquals(16, s.size());
            assertEquals(8, s.alignment());
        }

        @Test
        void typedAccessorsRefuseTheWrongWidth() {
            UapiField size = VfioRegionInfo.LAYOUT.field("size");
            assertThrows(IllegalStateException.class, () -> size.getU32(new byte[32], 0));
        }

        @Test
        void unknownMemberIsABug() {
            assertThrows(IllegalStateException.class, () -> VfioRegionInfo.LAYOUT.field("pad"));
        }
    }
}
