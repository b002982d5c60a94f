package vfiowb.common.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The defensive walk of userspace-clients §3.2 (CAP-06, CAP-08). The timeout runs each test on its
 * own thread so that an endless walk fails the test instead of hanging the build.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CapChainTest {
    private static final RegionCap MSIX = RegionCap.MsixMappable.of();
    private static final RegionCap TYPE = RegionCap.Type.of(VfioRegionType.pciVendorType(0x8086),
        VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION);
    private static final RegionCap SPARSE = RegionCap.Sparse.of(new VfioRegionSparseMmapArea(0x2000, 0x1000),
        new VfioRegionSparseMmapArea(0x4000, 0x2000));

    /** A reply buffer as the core lays it out: 32 zero bytes, then the shifted chain. */
    static byte[] reply(RegionCap... caps) {
        VfioInfoCap chain = new VfioInfoCap();
        for (RegionCap c : caps) {
            assertEquals(0, VfioInfoCap.vfioInfoAddCapability(chain, c));
        }
        VfioInfoCap.vfioInfoCapShift(chain, 32);
        byte[] buf = new byte[32 + chain.size()];
        System.arraycopy(chain.bytes(), 0, buf, 32, chain.size());
        return buf;
    }

    /** Raw header write, for building chains the kernel would never produce. */
    static void header(byte[] buf, int at, int id, long next) {
        new VfioInfoCapHeader(id, 1, next).encodeInto(buf, at);
    }

    static MalformedCapChainException refused(byte[] buf, long argsz, long capOffset) {
        return assertThrows(MalformedCapChainException.class, () -> CapChain.parse(buf, argsz, capOffset));
    }

    @Nested
    class GoodChains {
        @Test
        void kernelBuiltChainParsesBackInOrder() {
            byte[] buf = reply(MSIX, TYPE, SPARSE);
            assertEquals(List.of(MSIX, TYPE, SPARSE), CapChain.parse(buf, buf.length, 32));
        }

        @Test
        void walkReportsOffsetsAndExtents() {
            byte[] buf = reply(MSIX, TYPE, SPARSE);
            List<CapChain.Found> found = CapChain.walk(buf, buf.length, 32, 32);
            assertEquals(List.of(32, 40, 56), found.stream().map(CapChain.Found::offset).toList());
            assertEquals(List.of(8, 16, 48), found.stream().map(CapChain.Found::extent).toList());
        }

        @Test
        void unknownIdBetweenKnownCapsIsKeptAndFollowed() {
            RegionCap odd = new RegionCap.Unknown(0x4242, 9, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            byte[] buf = reply(TYPE, odd, MSIX);
            assertEquals(List.of(TYPE, odd, MSIX), CapChain.parse(buf, buf.length, 32));
        }

        @Test
        void deprecatedNvlinkCapsAreUnknown() {
            RegionCap ssatgt = new RegionCap.Unknown(VfioRegionInfo.VFIO_REGION_INFO_CAP_NVLINK2_SSATGT, 1,
                new byte[] {0, 0, 0, 0, 0, 0, 0x10, 0});
            byte[] buf = reply(ssatgt);
            assertEquals(List.of(ssatgt), CapChain.parse(buf, buf.length, 32));
        }

        @Test
        void bytesBeyondArgszAreNeverRead() {
            byte[] buf = reply(MSIX);
            byte[] bigger = Arrays.copyOf(buf, buf.length + 64);
            Arrays.fill(bigger, buf.length, bigger.length, (byte) 0xff);
            assertEquals(List.of(MSIX), CapChain.parse(bigger, buf.length, 32));
        }

        @Test
        void deviceInfoChainAfterA24ByteStruct() {
            byte[] buf = new byte[24 + 16];
            header(buf, 24, VfioDeviceInfo.VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, 0);
            List<CapChain.Found> found = CapChain.walk(buf, buf.length, 24, VfioDeviceInfo.SIZE);
            assertEquals(1, found.size());
            assertEquals(5, found.get(0).header().id());
        }

        @Test
        void sparseWithZeroAreasIsLegal() {
            byte[] buf = reply(RegionCap.Sparse.of());
            assertEquals(List.of(RegionCap.Sparse.of()), CapChain.parse(buf, buf.length, 32));
        }
    }

    @Nested
    class NoCaps {
        @Test
        void capOffsetZeroMeansNoCaps() {
            assertEquals(List.of(), CapChain.parse(new byte[32], 32, 0));
            assertEquals(List.of(), CapChain.parse(new byte[32], 80, 0));
        }
    }

    @Nested
    class Loops {
        @Test
        void nextPointingAtItself() {
            byte[] buf = new byte[48];
            header(buf, 32, 3, 32);
            MalformedCapChainException e = refused(buf, 48, 32);
            assertEquals(32, e.offset());
            assertTrue(e.getMessage().contains("offset 0x20"), e.getMessage());
            assertTrue(e.getMessage().contains("loop"), e.getMessage());
        }

        @Test
        void nextPointingBackwards() {
            byte[] buf = new byte[56];
            header(buf, 32, 3, 40);
            header(buf, 40, 3, 32);
            assertEquals(40, refused(buf, 56, 32).offset());
        }

        @Test
        void nextInsideTheCurrentHeader() {
            byte[] buf = new byte[56];
            header(buf, 32, 3, 36);
            MalformedCapChainException e = refused(buf, 56, 32);
            assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        }

        @Test
        void nextInsideTheFixedStructure() {
            byte[] buf = new byte[48];
            header(buf, 32, 3, 8);
            assertEquals(32, refused(buf, 48, 32).offset());
        }
    }

    @Nested
    class Truncation {
        @Test
        void capOffsetInsideTheFixedStruct() {
            byte[] buf = reply(MSIX);
            MalformedCapChainException e = refused(buf, buf.length, 16);
            assertEquals(16, e.offset());
        }

        @Test
        void headerPastArgsz() {
            byte[] buf = reply(MSIX);
            MalformedCapChainException e = refused(buf, 36, 32);
            assertEquals(32, e.offset());
            assertTrue(e.getMessage().contains("argsz 36"), e.getMessage());
        }

        @Test
        void headerPastTheBufferWhateverArgszClaims() {
            byte[] buf = reply(MSIX);
            refused(Arrays.copyOf(buf, 36), 4096, 32);
        }

        @Test
        void nextPastTheEnd() {
            byte[] buf = reply(MSIX);
            LE.putU32(buf, 36, 4096);
            assertEquals(4096, refused(buf, buf.length, 32).offset());
        }

        @Test
        void sparseAreasPastTheEnd() {
            byte[] buf = reply(SPARSE);
            LE.putU32(buf, 40, 3);
            MalformedCapChainException e = refused(buf, buf.length, 32);
            assertEquals(32, e.offset());
            assertTrue(e.getMessage().contains("nr_areas 3"), e.getMessage());
        }

        @Test
        void sparseAreasCountThatWouldOverflowAnInt() {
            byte[] buf = reply(SPARSE);
            LE.putU32(buf, 40, 0xFFFF_FFFFL);
            refused(buf, buf.length, 32);
        }

        @Test
        void sparseAreasRunningIntoTheNextCap() {
            byte[] buf = reply(SPARSE, MSIX);
            LE.putU32(buf, 40, 3);
            assertEquals(32, refused(buf, buf.length, 32).offset());
        }

        @Test
        void typeCapCutShortByArgsz() {
            byte[] buf = reply(TYPE);
            assertEquals(32, refused(buf, 44, 32).offset());
        }

        @Test
        void sparseCutShortByArgsz() {
            byte[] buf = reply(SPARSE);
            assertEquals(32, refused(buf, buf.length - 1, 32).offset());
        }
    }

    @Nested
    class RandomChains {
        private static final int IDS_KNOWN = 3;

        /** One random capability and how the parser must see it after the chain's 8-byte rounding. */
        private RegionCap[] randomCap(Random r) {
            switch (r.nextInt(4)) {
                case 0:
                    RegionCap m = new RegionCap.MsixMappable(1 + r.nextInt(2));
                    return new RegionCap[] {m, m};
                case 1:
                    RegionCap t = new RegionCap.Type(1, r.nextLong() & 0xFFFF_FFFFL, r.nextLong() & 0xFFFF_FFFFL);
                    return new RegionCap[] {t, t};
                case 2:
                    List<VfioRegionSparseMmapArea> areas = new ArrayList<>();
                    for (int i = r.nextInt(5); i > 0; i--) {
                        areas.add(new VfioRegionSparseMmapArea(r.nextLong(), r.nextBoolean() ? r.nextLong() : 0));
                    }
                    RegionCap s = new RegionCap.Sparse(1, 0, areas);
                    return new RegionCap[] {s, s};
                default:
                    int id;
                    do {
                        id = r.nextInt(0x10000);
                    } while (id >= 1 && id <= IDS_KNOWN);
                    int version = r.nextInt(0x10000);
                    byte[] body = new byte[r.nextInt(41)];
                    r.nextBytes(body);
                    int padded = ((VfioInfoCapHeader.SIZE + body.length + 7) & ~7) - VfioInfoCapHeader.SIZE;
                    return new RegionCap[] {new RegionCap.Unknown(id, version, body),
                        new RegionCap.Unknown(id, version, Arrays.copyOf(body, padded))};
            }
        }

        @Test
        void builderShiftParseRoundTripFromAFixedSeed() {
            rounds(0x5EED_CAB5L);
        }

        /** A new seed each run, or {@code -Dvfiowb.seed=N} to replay one printed by a failure. */
        @Test
        void builderShiftParseRoundTripFromAFreshSeed() {
            rounds(Long.getLong("vfiowb.seed", System.nanoTime()));
        }

        private void rounds(long base) {
            for (int round = 0; round < 200; round++) {
                long seed = base + round;
                Random r = new Random(seed);
                int fixed = r.nextBoolean() ? VfioRegionInfo.SIZE : VfioDeviceInfo.SIZE;
                VfioInfoCap chain = new VfioInfoCap();
                List<RegionCap> expected = new ArrayList<>();
                List<Integer> offsets = new ArrayList<>();
                for (int n = 1 + r.nextInt(6); n > 0; n--) {
                    RegionCap[] pair = randomCap(r);
                    int at = chain.size();
                    if (r.nextBoolean()) {
                        assertEquals(0, VfioInfoCap.vfioInfoAddCapability(chain, pair[0]), "seed " + seed);
                    } else {
                        byte[] enc = pair[0].encode();
                        assertEquals(at, VfioInfoCap.vfioInfoCapAdd(chain, enc.length, pair[0].id(),
                            pair[0].version()), "seed " + seed);
                        chain.write(at + 8, Arrays.copyOfRange(enc, 8, enc.length));
                    }
                    offsets.add(fixed + at);
                    expected.add(pair[1]);
                }
                VfioInfoCap.vfioInfoCapShift(chain, fixed);
                byte[] buf = new byte[fixed + chain.size()];
                System.arraycopy(chain.bytes(), 0, buf, fixed, chain.size());

                assertEquals(offsets, CapChain.walk(buf, buf.length, fixed, fixed).stream()
                    .map(CapChain.Found::offset).toList(), "seed " + seed + " (-Dvfiowb.seed=" + base + ")");
                assertEquals(expected, CapChain.parse(buf, buf.length, fixed, fixed),
                    "seed " + seed + " (-Dvfiowb.seed=" + base + ")");
                corruptionIsRefusedOrTolerated(buf, fixed, r, seed);
            }
        }

        /** Random truncation and byte flips: the parser returns or refuses, never anything else. */
        private void corruptionIsRefusedOrTolerated(byte[] good, int fixed, Random r, long seed) {
            for (int i = 0; i < 8; i++) {
                byte[] bad = good.clone();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    bad[fixed + r.nextInt(bad.length - fixed)] = (byte) r.nextInt(256);
                }
                long argsz = r.nextBoolean() ? bad.length : r.nextInt(bad.length + 16);
                try {
                    CapChain.parse(bad, argsz, fixed, fixed);
                } catch (MalformedCapChainException expected) {
                    assertTrue(expected.offset() >= 0, "seed " + seed);
                } catch (RuntimeException e) {
                    fail("seed " + seed + ": parser threw " + e, e);
                }
            }
        }
    }
}
