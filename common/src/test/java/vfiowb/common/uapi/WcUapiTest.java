package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The three WC uAPIs: layouts, numbers, codecs and the vfio.h text each adds. */
class WcUapiTest {
    @Nested
    class Layouts {
        @Test
        void cookieIoctlIsJasonsMembersWithTheirPadding() {
            UapiStruct l = VfioRegionGetMmap.LAYOUT;
            assertEquals(32, l.size());
            assertEquals(List.of(0, 4, 8, 12, 16, 24), l.fields().stream().map(UapiField::offset).toList());
            assertEquals(VfioIoctl.io(22), VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP);
            assertTrue(VfioIoctl.lookup(VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP).isEmpty(),
                    "not a merged ioctl");
            assertEquals("VFIO_DEVICE_GET_REGION_MMAP", VfioIoctl.name(VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP));
        }

        @Test
        void theCookieNumberIsNoMergedOnesEvenOnAnotherFd() {
            for (VfioIoctl.Entry e : VfioIoctl.all()) {
                assertTrue(e.request() != VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP, e.name());
            }
        }

        @Test
        void aliasFeatureAndCapability() {
            assertEquals(24, VfioDeviceFeatureAliasRegion.LAYOUT.size());
            assertEquals(16, RegionCap.Alias.LAYOUT.size());
            assertEquals(8, RegionCap.Alias.LAYOUT.offsetOf("index"));
            assertEquals("ALIAS", VfioRegionInfo.capName(VfioRegionInfo.VFIO_REGION_INFO_CAP_ALIAS));
            assertEquals("ALIAS_REGION", VfioDeviceFeature.featureName(15));
        }

        @Test
        void dmaBufAndMemattrAsPosted() {
            assertEquals(16, VfioDeviceFeatureDmaBuf.LAYOUT.size());
            assertEquals(16, VfioDeviceFeatureDmaBuf.RANGE_LAYOUT.size());
            assertEquals(8, VfioDeviceFeatureDmaBufMemattr.LAYOUT.size());
            assertEquals(14, VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR);
            assertEquals(1, VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_WC);
            assertTrue(UapiCatalogue.struct("vfio_device_feature_dma_buf").isPresent(), "merged in v6.19");
            assertTrue(UapiCatalogue.struct("vfio_device_feature_dma_buf_memattr").isEmpty(), "not merged");
        }
    }

    @Nested
    class Codecs {
        @Test
        void cookieRequestAndReplyRoundTrip() {
            byte[] buf = VfioRegionGetMmap.request(2, VfioRegionGetMmap.VFIO_REGION_MMAP_FLAG_WC).encode();
            VfioRegionGetMmap.putReply(buf, 0, 0x10000, 0x12340000L);
            VfioRegionGetMmap r = VfioRegionGetMmap.decode(buf, 0);
            assertEquals(new VfioRegionGetMmap(32, 2, 1, 0x10000, 0x12340000L), r);
        }

        @Test
        void aliasIndexIsWrittenBack() {
            byte[] buf = new VfioDeviceFeatureAliasRegion(1, 2, 0).encode();
            VfioDeviceFeatureAliasRegion.putAliasIndex(buf, 0, 9);
            assertEquals(new VfioDeviceFeatureAliasRegion(1, 2, 9), VfioDeviceFeatureAliasRegion.decode(buf, 0));
        }

        @Test
        void aliasCapabilityDecodesFromAChainAndATruncatedOneIsMalformed() {
            RegionCap alias = RegionCap.Alias.of(2, VfioDeviceFeatureAliasRegion.VFIO_ALIAS_REGION_FLAG_WC);
            byte[] buf = CapChainTest.reply(alias);
            assertEquals(List.of(alias), CapChain.parse(buf, buf.length, 32));
            assertThrows(MalformedCapChainException.class, () -> RegionCap.decode(buf, 32, 12));
        }

        @Test
        void memattrCarriesASignedFd() {
            byte[] buf = new VfioDeviceFeatureDmaBufMemattr(-1, 1).encode();
            assertEquals(new VfioDeviceFeatureDmaBufMemattr(-1, 1), VfioDeviceFeatureDmaBufMemattr.decode(buf, 0));
        }

        @Test
        void dmaBufRangesFollowTheHeader() {
            byte[] buf = VfioDeviceFeatureDmaBuf.of(2, 0x1000, 0x2000).encode();
            assertEquals(32, buf.length);
            assertEquals(2, LE.getU32(buf, 0));
            assertEquals(1, LE.getU32(buf, 12));
            assertEquals(0x1000, LE.getU64(buf, 16));
            assertEquals(0x2000, LE.getU64(buf, 24));
        }
    }

    @Nested
    class Surfaces {
        @Test
        void countsComeFromTheDefinitions() {
            WcUapi.Surface cookie = WcUapi.COOKIE.surface();
            assertEquals(1, cookie.count(WcUapi.Kind.IOCTL));
            assertEquals(0, cookie.count(WcUapi.Kind.FEATURE));
            assertEquals(1, cookie.structs().size());
            WcUapi.Surface alias = WcUapi.ALIAS.surface();
            assertEquals(1, alias.count(WcUapi.Kind.FEATURE));
            assertEquals(1, alias.count(WcUapi.Kind.CAPABILITY));
            assertEquals(2, alias.structs().size());
            WcUapi.Surface dmabuf = WcUapi.DMABUF.surface();
            assertEquals(0, dmabuf.count(WcUapi.Kind.IOCTL));
            assertEquals(2, dmabuf.count(WcUapi.Kind.VALUE));
        }

        @Test
        void headerTextIsVfioHStyleAndItsLinesAreCounted() {
            String h = WcUapi.COOKIE.surface().header();
            assertTrue(h.contains("struct vfio_region_get_mmap {\n\t__u32\targsz;\n"), h);
            assertTrue(h.contains("#define VFIO_DEVICE_GET_REGION_MMAP\t_IO(VFIO_TYPE, VFIO_BASE + 22)"), h);
            assertTrue(h.contains("#define VFIO_REGION_MMAP_FLAG_WC\t(1 << 0)"), h);
            assertEquals(1 + 6 + 1 + 2, WcUapi.COOKIE.surface().headerLines(),
                    "a struct of 6 members and 2 defines");
            assertEquals(1 + 2 + 1 + 3, WcUapi.DMABUF.surface().headerLines(),
                    "a struct of 2 members and 3 defines");
        }

        @Test
        void variantNames() {
            assertEquals(WcUapi.ALIAS, WcUapi.byVariant("WC-ALIAS"));
            assertNull(WcUapi.byVariant("wc"));
        }
    }
}
