package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Constant values from kernel-facts §A.2, §A.3, §A.5-§A.9. */
class ConstantsTest {

    @Nested
    class DeviceInfo {
        @Test
        void flags() {
            assertEquals(1, VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET);
            assertEquals(2, VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI);
            assertEquals(4, VfioDeviceInfo.VFIO_DEVICE_FLAGS_PLATFORM);
            assertEquals(8, VfioDeviceInfo.VFIO_DEVICE_FLAGS_AMBA);
            assertEquals(0x10, VfioDeviceInfo.VFIO_DEVICE_FLAGS_CCW);
            assertEquals(0x20, VfioDeviceInfo.VFIO_DEVICE_FLAGS_AP);
            assertEquals(0x40, VfioDeviceInfo.VFIO_DEVICE_FLAGS_FSL_MC);
            assertEquals(0x80, VfioDeviceInfo.VFIO_DEVICE_FLAGS_CAPS);
            assertEquals(0x100, VfioDeviceInfo.VFIO_DEVICE_FLAGS_CDX);
            assertEquals("RESET|PCI|CAPS|0x8000", VfioDeviceInfo.flagNames(0x8083));
        }

        @Test
        void capIds() {
            assertEquals(1, VfioDeviceInfo.VFIO_DEVICE_INFO_CAP_ZPCI_BASE);
            assertEquals(4, VfioDeviceInfo.VFIO_DEVICE_INFO_CAP_ZPCI_PFIP);
            assertEquals(5, VfioDeviceInfo.VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP);
            assertEquals(4, VfioDeviceInfo.VFIO_PCI_ATOMIC_COMP128);
        }
    }

    @Nested
    class RegionInfo {
        @Test
        void flags() {
            assertEquals(1, VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ);
            assertEquals(2, VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE);
            assertEquals(4, VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP);
            assertEquals(8, VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS);
            assertEquals("READ|WRITE|MMAP|CAPS", VfioRegionInfo.flagNames(0xf));
            assertEquals("0", VfioRegionInfo.flagNames(0));
        }

        @Test
        void capIds() {
            assertEquals(1, VfioRegionInfo.VFIO_REGION_INFO_CAP_SPARSE_MMAP);
            assertEquals(2, VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE);
            assertEquals(3, VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE);
            assertEquals(4, VfioRegionInfo.VFIO_REGION_INFO_CAP_NVLINK2_SSATGT);
            assertEquals(5, VfioRegionInfo.VFIO_REGION_INFO_CAP_NVLINK2_LNKSPD);
            assertEquals("MSIX_MAPPABLE", VfioRegionInfo.capName(3));
            assertEquals("cap 77", VfioRegionInfo.capName(77));
        }
    }

    @Nested
    class RegionTypes {
        @Test
        void intelVendorTypeIsBit31OrVendor() {
            long intel = VfioRegionType.pciVendorType(VfioRegionType.PCI_VENDOR_ID_INTEL);
            assertEquals(0x8000_8086L, intel);
            assertTrue(VfioRegionType.isPciVendorType(intel));
            assertEquals(0x8086, VfioRegionType.pciVendorId(intel));
            assertEquals("PCI_VENDOR_TYPE|0x8086", VfioRegionType.typeName(intel));
            assertEquals("INTEL_IGD_LPC_CFG",
                VfioRegionType.subtypeName(intel, VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG));
        }

        @Test
        void values() {
            assertEquals(1L << 31, VfioRegionType.VFIO_REGION_TYPE_PCI_VENDOR_TYPE);
            assertEquals(1, VfioRegionType.VFIO_REGION_TYPE_GFX);
            assertEquals(2, VfioRegionType.VFIO_REGION_TYPE_CCW);
            assertEquals(3, VfioRegionType.VFIO_REGION_TYPE_MIGRATION_DEPRECATED);
            assertEquals(1, VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION);
            assertEquals(2, VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG);
            assertEquals(3, VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG);
            assertEquals(1, VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID);
            assertEquals(1, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD);
            assertEquals(2, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_SCHIB);
            assertEquals(3, VfioRegionType.VFIO_REGION_SUBTYPE_CCW_CRW);
        }

        @Test
        void namesForNarration() {
            assertEquals("GFX", VfioRegionType.typeName(1));
            assertEquals("GFX_EDID", VfioRegionType.subtypeName(1, 1));
            assertEquals("CCW_SCHIB", VfioRegionType.subtypeName(2, 2));
            assertEquals("9", VfioRegionType.subtypeName(2, 9));
            assertFalse(VfioRegionType.isPciVendorType(VfioRegionType.VFIO_REGION_TYPE_CCW));
            assertThrows(IllegalArgumentException.class, () -> VfioRegionType.pciVendorId(2));
            assertThrows(IllegalArgumentException.class, () -> VfioRegionType.pciVendorType(0x10000));
        }
    }

    @Nested
    class Indexes {
        @Test
        void pci() {
            assertEquals(0, VfioIndex.VFIO_PCI_BAR0_REGION_INDEX);
            assertEquals(5, VfioIndex.VFIO_PCI_BAR5_REGION_INDEX);
            assertEquals(6, VfioIndex.VFIO_PCI_ROM_REGION_INDEX);
            assertEquals(7, VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX);
            assertEquals(8, VfioIndex.VFIO_PCI_VGA_REGION_INDEX);
            assertEquals(9, VfioIndex.VFIO_PCI_NUM_REGIONS);
            assertEquals(0, VfioIndex.VFIO_PCI_INTX_IRQ_INDEX);
            assertEquals(2, VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX);
            assertEquals(4, VfioIndex.VFIO_PCI_REQ_IRQ_INDEX);
            assertEquals(5, VfioIndex.VFIO_PCI_NUM_IRQS);
            assertEquals("CONFIG", VfioIndex.pciRegionName(7));
            assertEquals("region 9", VfioIndex.pciRegionName(9));
            assertEquals("MSIX", VfioIndex.pciIrqName(2));
        }

        @Test
        void ccwAndAp() {
            assertEquals(0, VfioIndex.VFIO_CCW_CONFIG_REGION_INDEX);
            assertEquals(1, VfioIndex.VFIO_CCW_NUM_REGIONS);
            assertEquals(0, VfioIndex.VFIO_CCW_IO_IRQ_INDEX);
            assertEquals(1, VfioIndex.VFIO_CCW_CRW_IRQ_INDEX);
            assertEquals(2, VfioIndex.VFIO_CCW_REQ_IRQ_INDEX);
            assertEquals(0, VfioIndex.VFIO_AP_REQ_IRQ_INDEX);
            assertEquals(1, VfioIndex.VFIO_AP_CFG_CHG_IRQ_INDEX);
        }
    }

    @Nested
    class Features {
        @Test
        void operationBitsAndNumbers() {
            assertEquals(1 << 16, VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET);
            assertEquals(1 << 17, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET);
            assertEquals(1 << 18, VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE);
            assertEquals(0, VfioDeviceFeature.VFIO_DEVICE_FEATURE_PCI_VF_TOKEN);
            assertEquals(2, VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE);
            assertEquals(8, VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT);
            assertEquals(10, VfioDeviceFeature.VFIO_DEVICE_FEATURE_BUS_MASTER);
            assertEquals(11, VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF);
            assertEquals(12, VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2);
            assertEquals("DMA_BUF", VfioDeviceFeature.featureName(11));
            assertEquals("feature 16", VfioDeviceFeature.featureName(16));
            assertEquals("DMA_BUF_MEMATTR", VfioDeviceFeature.featureName(14));
        }

        @Test
        void flagsSelectFeatureAndOperation() {
            long f = VfioDeviceFeature.flags(VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF,
                VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE);
            VfioDeviceFeature h = new VfioDeviceFeature(40, f);
            assertEquals(11, h.feature());
            assertTrue(h.isGet());
            assertTrue(h.isProbe());
            assertFalse(h.isSet());
            assertThrows(IllegalArgumentException.class, () -> VfioDeviceFeature.flags(0x10000, 0));
            assertThrows(IllegalArgumentException.class, () -> VfioDeviceFeature.flags(1, 1 << 19));
        }
    }

    @Nested
    class Ioeventfd {
        @Test
        void sizeBitsEqualWidthInBytes() {
            assertEquals(1, VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_8);
            assertEquals(2, VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_16);
            assertEquals(4, VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32);
            assertEquals(8, VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_64);
            assertEquals(4, VfioDeviceIoeventfd.of(4, 0, 0, 3).writeSize());
            assertEquals(0, VfioDeviceIoeventfd.of(3, 0, 0, 3).writeSize(), "two size bits");
            assertEquals(0, VfioDeviceIoeventfd.of(0, 0, 0, 3).writeSize(), "no size bit");
            assertEquals(0x10, VfioDeviceIoeventfd.of(0x18, 0, 0, 3).unknownFlags());
        }

        @Test
        void gfxLinkStates() {
            assertEquals(1, VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_UP);
            assertEquals(2, VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_DOWN);
        }
    }
}
