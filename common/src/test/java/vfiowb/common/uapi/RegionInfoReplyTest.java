package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Decoding whole REGION_INFO replies, produced the way the v6.19 core does (kernel-facts §E.4
 * steps 3-5), for the scenarios of userspace-clients §3.2.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegionInfoReplyTest {
    private static final long RW = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

    /**
     * Test stand-in for vfio_get_region_info() after the driver's op: a fresh chain per call,
     * CAPS when there are caps, the too-small rule, shift by 32 and copy-out otherwise.
     */
    static byte[] ioctl(long index, int argsz, VfioRegionInfo driverInfo, Consumer<VfioInfoCap> op) {
        byte[] buf = VfioRegionInfo.request(index, argsz);
        VfioRegionInfo info = driverInfo.withArgsz(argsz).withCapOffset(0);
        VfioInfoCap caps = new VfioInfoCap();
        op.accept(caps);
        if (!caps.isEmpty()) {
            info = info.withFlags(info.flags() | VFIO_REGION_INFO_FLAG_CAPS);
            if (argsz < VfioRegionInfo.SIZE + caps.size()) {
                info = info.withArgsz(VfioRegionInfo.SIZE + caps.size());
            } else {
                VfioInfoCap.vfioInfoCapShift(caps, VfioRegionInfo.SIZE);
                System.arraycopy(caps.bytes(), 0, buf, VfioRegionInfo.SIZE, caps.size());
                info = info.withCapOffset(VfioRegionInfo.SIZE);
            }
        }
        info.encodeInto(buf, 0);
        return buf;
    }

    @Nested
    class WithoutCaps {
        @Test
        void plainBar() {
            VfioRegionInfo bar = new VfioRegionInfo(0, RW | VFIO_REGION_INFO_FLAG_MMAP, 0, 0, 0x4000, 0);
            RegionInfoReply r = RegionInfoReply.decode(ioctl(0, 32, bar, caps -> { }));
            assertEquals(List.of(), r.caps());
            assertFalse(r.needsLargerBuffer());
            assertEquals(0x4000, r.info().size());
            assertEquals(32, r.info().argsz());
        }

        @Test
        void capOffsetWithoutCapsFlagIsIgnored() {
            byte[] buf = CapChainTest.reply(RegionCap.MsixMappable.of());
            new VfioRegionInfo(buf.length, RW, 0, 32, 0x1000, 0).encodeInto(buf, 0);
            assertEquals(List.of(), RegionInfoReply.decode(buf).caps());
        }
    }

    /** CAP-04: sparse cap with two areas, queried with 32 then 80. */
    @Nested
    class SparseTwoAreas {
        private final RegionCap.Sparse sparse = RegionCap.Sparse.of(
            new VfioRegionSparseMmapArea(0x2000, 0x1000), new VfioRegionSparseMmapArea(0x4000, 0x2000));
        private final VfioRegionInfo driver = new VfioRegionInfo(0, RW | VFIO_REGION_INFO_FLAG_MMAP, 2, 0,
            0x8000, 2L << 40);
        private final Consumer<VfioInfoCap> op = caps -> VfioInfoCap.vfioInfoAddCapability(caps, sparse);

        @Test
        void firstCallAsksForEighty() {
            RegionInfoReply r = RegionInfoReply.decode(ioctl(2, 32, driver, op));
            assertTrue(r.needsLargerBuffer());
            assertTrue(r.info().hasFlag(VFIO_REGION_INFO_FLAG_CAPS), "CAP-07(a): CAPS stays set");
            assertEquals(80, r.info().argsz());
            assertEquals(0, r.info().capOffset());
            assertEquals(List.of(), r.caps());
        }

        @Test
        void secondCallGetsTheAreasExactly() {
            byte[] buf = ioctl(2, 80, driver, op);
            RegionInfoReply r = RegionInfoReply.decode(buf);
            assertFalse(r.needsLargerBuffer());
            assertEquals(80, r.info().argsz());
            assertEquals(32, r.info().capOffset());
            assertEquals(new VfioInfoCapHeader(1, 1, 0), VfioInfoCapHeader.decode(buf, 32));
            assertEquals(sparse, r.sparseMmap().get());
            assertEquals(2, r.sparseMmap().get().nrAreas());
            assertEquals(2L << 40, r.info().offset());
        }
    }

    /** CAP-01: TYPE cap on an IGD OpRegion. */
    @Nested
    class IgdOpRegion {
        @Test
        void typeCapAt32() {
            long intel = VfioRegionType.pciVendorType(VfioRegionType.PCI_VENDOR_ID_INTEL);
            VfioRegionInfo driver = new VfioRegionInfo(0, VFIO_REGION_INFO_FLAG_READ, 9, 0, 0x2000, 9L << 40);
            byte[] buf = ioctl(9, 64, driver, caps -> VfioInfoCap.vfioInfoAddCapability(caps,
                RegionCap.Type.of(intel, VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION)));
            RegionInfoReply r = RegionInfoReply.decode(buf);
            assertEquals(new VfioInfoCapHeader(2, 1, 0), VfioInfoCapHeader.decode(buf, 32));
            RegionCap.Type t = r.type().get();
            assertEquals(0x8000_8086L, t.type());
            assertEquals(1, t.subtype());
            assertFalse(r.msixMappable());
            assertEquals(64, r.info().argsz(), "a big enough argsz is left as userspace gave it");
        }
    }

    @Nested
    class MsixBar {
        @Test
        void msixMappableAlone() {
            VfioRegionInfo driver = new VfioRegionInfo(0, RW | VFIO_REGION_INFO_FLAG_MMAP, 0, 0, 0x4000, 0);
            RegionInfoReply r = RegionInfoReply.decode(ioctl(0, 40, driver,
                caps -> VfioInfoCap.vfioInfoCapAdd(caps, VfioInfoCapHeader.SIZE,
                    VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 1)));
            assertTrue(r.msixMappable());
            assertTrue(r.sparseMmap().isEmpty());
        }
    }

    @Nested
    class Hostile {
        @Test
        void malformedChainSurfacesAsMalformedCapChainException() {
            byte[] buf = CapChainTest.reply(RegionCap.MsixMappable.of());
            new VfioRegionInfo(buf.length, VFIO_REGION_INFO_FLAG_CAPS, 0, 32, 0, 0).encodeInto(buf, 0);
            LE.putU32(buf, 36, 32);
            assertThrows(MalformedCapChainException.class, () -> RegionInfoReply.decode(buf));
        }
    }
}
