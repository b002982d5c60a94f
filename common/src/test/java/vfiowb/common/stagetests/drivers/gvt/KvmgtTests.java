package vfiowb.common.stagetests.drivers.gvt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.UserFaults;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionGfxEdid;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.UserBuffer;

/**
 * intel_vgpu_dev_ops through the syscall boundary: the vGPU's PCI regions, OpRegion and EDID.
 * Offsets come from REGION_INFO: kvmgt's own copy of {@code index << 40} before stage 4, the
 * core's cookies after.
 */
public abstract class KvmgtTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
    private static final long MIB = 1L << 20;
    private static final long SLICE = 64 * MIB;

    private final StageAdapter stage;

    protected KvmgtTests(StageAdapter stage) {
        this.stage = stage;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private Dev vgpu(Arch arch) {
        return NonPci.open(stage, arch, "kvmgt-vgpu");
    }

    /** The file offset REGION_INFO gives region {@code index}. */
    private static long offset(Dev d, long index) {
        return d.region(index).info().offset();
    }

    /** Whether the file keeps a tree of cookies: the core resolves every offset. */
    private static boolean onCookiePath(Dev d) {
        return d.file().mmapCookieCount() >= 0;
    }

    @Nested
    class OpsTable {
        @Test
        void theCatalogueDeviceRunsOnThisTable() {
            assertEquals(null, stage.opsTables().get("intel_vgpu_dev_ops").name());
            assertEquals("intel_vgpu_dev_ops", stage.opsTableOf(vgpu(Arch.X86_64).file()));
        }
    }

    @Nested
    class GetInfo {
        @Test
        void pciWithResetElevenRegionsFiveIrqs() {
            VfioDeviceInfo info = vgpu(Arch.X86_64).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET, info.flags());
            assertEquals(11, info.numRegions());
            assertEquals(5, info.numIrqs());
        }

        @Test
        void intxAndMsiOnly() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE
                    | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED, d.irq(0).flags());
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE, d.irq(1).flags());
            assertEquals(1, d.irq(0).count());
            assertEquals(1, d.irq(1).count());
            for (int i = 2; i <= 5; i++) {
                int index = i;
                assertEquals(Errno.EINVAL, errno(() -> d.irq(index)));
            }
        }

        @Test
        void resetClearsTheVirtualRegisters() {
            Dev d = vgpu(Arch.X86_64);
            long bar0 = offset(d, 0);
            d.writeLe(bar0 + 0x100, 4, 0xabcd);
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(0, d.readLe(bar0 + 0x100, 4));
            assertEquals(1, d.stateLong("reset_count"));
        }

        @Test
        void otherIoctlsAreEnotty() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(Errno.ENOTTY, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_IOEVENTFD,
                    new byte[32])));
        }
    }

    @Nested
    class RegionInfo {
        /**
         * Every offset is {@code index << 40}: kvmgt's layout, then (stage 4) the core's legacy
         * policy, which keeps each region in its fixed slot and reports the slot for a region
         * without bytes.
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.gvt.KvmgtTests#arches")
        void everyIndex(Arch arch) {
            Dev d = vgpu(arch);
            long[][] plain = {{0, R | W, 16 * MIB}, {1, 0, 0}, {3, 0, 0}, {4, 0, 0}, {5, 0, 0}, {6, 0, 0},
                {7, R | W, 4096}, {8, 0, 0}};
            for (long[] e : plain) {
                RegionInfoReply r = d.region(e[0]);
                assertEquals(e[1], r.info().flags(), "flags of " + e[0]);
                assertEquals(e[2], r.info().size(), "size of " + e[0]);
                assertEquals(e[0] << 40, r.info().offset());
                assertTrue(r.caps().isEmpty());
            }
            RegionInfoReply bar2 = d.region(2);
            assertEquals(R | W | M | CAPS, bar2.info().flags());
            assertEquals(256 * MIB, bar2.info().size());
            assertEquals(2L << 40, bar2.info().offset());
            assertEquals(List.of(new VfioRegionSparseMmapArea(SLICE, SLICE)), bar2.sparseMmap().orElseThrow().areas());

            RegionInfoReply opregion = d.region(9);
            assertEquals(R | CAPS, opregion.info().flags());
            assertEquals(8192, opregion.info().size());
            assertEquals(9L << 40, opregion.info().offset());
            assertEquals(RegionCap.Type.of(VfioRegionType.pciVendorType(0x8086),
                    VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION), opregion.type().orElseThrow());

            RegionInfoReply edid = d.region(10);
            assertEquals(R | W | CAPS, edid.info().flags());
            assertEquals(128, edid.info().size());
            assertEquals(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID), edid.type().orElseThrow());
        }

        /**
         * A region's offset holds for every file of the vGPU: kvmgt's own {@code index << 40}
         * before the cookies; on the cookie path the default policy (legacy layout, cookies made
         * at open) gives each file a cookie for every region below the {@code nr_regions} that
         * intel_vgpu_open_device sets, the PCI indexes and GVT's OpRegion and EDID. So a second
         * file reads config space, the MMIO BAR, the OpRegion and the EDID registers at the
         * offsets the first was told, without asking REGION_INFO.
         */
        @Test
        void aSecondFileReachesEveryRegionWithoutAskingForItsOffset() {
            Dev d = vgpu(Arch.X86_64);
            long[] at = {offset(d, 7), offset(d, 0), offset(d, 9), offset(d, 10)};
            Dev second = d.withFd(d.p().open(d.name()));
            for (long off : at) {
                assertArrayEquals(d.read(off, 4), second.read(off, 4), "0x" + Long.toHexString(off));
            }
        }

        /**
         * What each cookie tells about its region where {@code walk --maple} and the pgoff
         * picture print the file's tree ({@code KvmgtMmap.describe}): config space and the MMIO
         * BAR are emulated, BAR2 is the host aperture at its physical start, and the OpRegion and
         * EDID regions name their region type. Before the cookies the file has no tree.
         */
        @Test
        void theTreeDumpDescribesEachCookiesRegion() {
            Dev d = vgpu(Arch.X86_64);
            if (!onCookiePath(d)) {
                return;
            }
            long aperture = ((KvmgtVgpu) d.hw()).hostApertureStart();
            assertEquals(java.util.Map.of(
                    0, "emulated",
                    2, String.format("aperture at 0x%x", aperture),
                    7, "emulated",
                    9, String.format("device region type 0x%x/%d", VfioRegionType.pciVendorType(0x8086),
                            VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION),
                    10, String.format("device region type 0x%x/%d", VfioRegionType.VFIO_REGION_TYPE_GFX,
                            VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)),
                    NonPci.cookieDescriptions(d, "KvmgtMmap"));
        }

        @Test
        void sparseCapNeedsSixtyFourBytes() {
            RegionInfoReply r = vgpu(Arch.X86_64).region(2, 32);
            assertTrue(r.needsLargerBuffer());
            assertEquals(64, r.info().argsz());
        }

        /**
         * Where the capability chain goes: kvmgt's own intel_vgpu_ioctl at stage 1, the core's
         * vfio_get_region_info from stage 2, the same bytes. BAR2's SPARSE_MMAP chain is 32
         * bytes, so argsz 64 is exactly enough (the chain at 32, cap_offset 32); at 63 argsz
         * comes back 64, CAPS is set and cap_offset is 0 whatever the request held; the reply
         * into read-only memory is -EFAULT, with or without a chain.
         */
        @Test
        void theChainFitsAtExactlyItsSizeAndAShortBufferGetsNoOffset() {
            Dev d = vgpu(Arch.X86_64);
            RegionInfoReply exact = d.region(2, 64);
            assertEquals(32, exact.info().capOffset());
            assertTrue(exact.sparseMmap().isPresent());
            byte[] b = new byte[63];
            new VfioRegionInfo(63, 0, 2, 0x5a5a_5a5aL, 0, 0).encodeInto(b, 0);
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            VfioRegionInfo tooSmall = VfioRegionInfo.decode(b, 0);
            assertEquals(64, tooSmall.argsz());
            assertEquals(0, tooSmall.capOffset(), "not the request's junk");
            assertTrue((tooSmall.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS) != 0);
            for (int index : new int[] {2, 7}) {
                byte[] ro = VfioRegionInfo.request(index, 64);
                assertEquals(Errno.EFAULT, errno(() -> d.p().ioctl(d.fd(),
                        VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, UserBuffer.readOnly(ro))), "index " + index);
            }
        }

        @Test
        void indexPastTheDeviceRegionsIsEinval() {
            assertEquals(Errno.EINVAL, errno(() -> vgpu(Arch.X86_64).region(11)));
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void configSpaceIsFourKibOfWhichTheModelHasTheFirst256() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(0x8086, d.readLe(offset(d, 7), 2));
            assertEquals(0x1912, d.readLe(offset(d, 7) + 2, 2));
            assertEquals(0, d.readLe(offset(d, 7) + 0x200, 4));
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 7) + 4094, 4)));
            d.writeLe(offset(d, 7) + 4, 2, 0x6);
            assertEquals(0x6, ((KvmgtVgpu) d.hw()).config().command() & 0x6);
        }

        @Test
        void mmioAndGgttButNothingBetween() {
            Dev d = vgpu(Arch.X86_64);
            long bar0 = offset(d, 0);
            d.writeLe(bar0 + 0x2000, 4, 0x11111111L);
            assertEquals(0x11111111L, d.readLe(bar0 + 0x2000, 4));
            d.writeLe(bar0 + 8 * MIB + 8, 8, 0x0123456789abcdefL);
            assertEquals(0x0123456789abcdefL, d.readLe(bar0 + 8 * MIB + 8, 8));
            assertEquals(Errno.EFAULT, errno(() -> d.read(bar0 + 3 * MIB, 4)));
            assertEquals(Errno.EFAULT, errno(() -> d.write(bar0 + 2 * MIB - 2, new byte[4])));
        }

        @Test
        void apertureSliceOnlyAndNotItsLastBytes() {
            Dev d = vgpu(Arch.X86_64);
            KvmgtVgpu hw = (KvmgtVgpu) d.hw();
            d.writeLe(offset(d, 2) + SLICE + 0x10, 4, 0x5a5a5a5aL);
            assertEquals(0x5a5a5a5aL, hw.aperture().read(SLICE + 0x10, 4));
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 2), 4)), "before the slice");
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 2) + 2 * SLICE - 4, 4)),
                    "off + count at the slice end is outside");
            assertEquals(4, d.read(offset(d, 2) + 2 * SLICE - 8, 4).length);
        }

        /**
         * intel_vgpu_rw refuses the empty indexes and those past the device regions (-EFAULT
         * from the read); on the cookie path they have no cookie and the core refuses them
         * first (-EINVAL). Index 11 has no REGION_INFO: its offset is {@code 11 << 40}.
         */
        @Test
        void emptyIndexesAndUnknownRegionsAreRefused() {
            Dev d = vgpu(Arch.X86_64);
            int expected = onCookiePath(d) ? Errno.EINVAL : Errno.EFAULT;
            for (long i : new long[] {1, 3, 4, 5, 6, 8, 11}) {
                long at = i < 11 ? offset(d, i) : i << 40;
                assertEquals(expected, errno(() -> d.read(at, 4)), "index " + i);
                assertEquals(expected, errno(() -> d.write(at, new byte[4])), "index " + i);
            }
        }

        @Test
        void opRegionIsReadOnly() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals("IntelGraphicsMem", new String(d.read(offset(d, 9), 16), StandardCharsets.US_ASCII));
            assertEquals(Errno.EFAULT, errno(() -> d.write(offset(d, 9), new byte[4])));
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 9) + 8192, 4)));
        }
    }

    @Nested
    class EdidRegion {
        private long regs(Dev d, String field) {
            return d.readLe(offset(d, 10) + VfioRegionGfxEdid.LAYOUT.offsetOf(field), 4);
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_64K"})
        void registersAndBlobAtHalfAPage(Arch arch) {
            Dev d = vgpu(arch);
            VfioRegionGfxEdid e = VfioRegionGfxEdid.decode(d.read(offset(d, 10), 24), 0);
            assertEquals(arch.pageSize() / 2, e.edidOffset());
            assertEquals(128, e.edidMaxSize());
            assertEquals(128, e.edidSize());
            assertEquals(1024, e.maxXres());
            assertEquals(768, e.maxYres());
            assertEquals(0, e.linkState());
            assertArrayEquals(((KvmgtVgpu) d.hw()).edidBlob(), d.read(offset(d, 10) + e.edidOffset(), 128));
        }

        @Test
        void linkUpNeedsAValidBlob() {
            Dev d = vgpu(Arch.X86_64);
            long link = offset(d, 10) + VfioRegionGfxEdid.LAYOUT.offsetOf("link_state");
            assertEquals(4, d.writeLe(link, 4, VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_UP));
            assertEquals(1, regs(d, "link_state"));
            assertEquals(4, d.writeLe(link, 4, VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_DOWN));
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(link, 4, 3)));
            d.write(offset(d, 10) + 2048, new byte[] {0x55});
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(link, 4, 1)));
            assertEquals(2, regs(d, "link_state"));
        }

        @Test
        void edidSizeBoundsTheBlob() {
            Dev d = vgpu(Arch.X86_64);
            long size = offset(d, 10) + VfioRegionGfxEdid.LAYOUT.offsetOf("edid_size");
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(size, 4, 129)));
            for (long big : new long[] {0x100, 0x1_0000, 0x100_0000}) {
                assertEquals(Errno.EFAULT, errno(() -> d.writeLe(size, 4, big)),
                        "handle_edid_regs reads all four bytes: " + Long.toHexString(big));
            }
            assertEquals(4, d.writeLe(size, 4, 128), "edid_max_size itself is allowed");
            assertEquals(128, regs(d, "edid_size"));
            d.writeLe(size, 4, 64);
            assertEquals(64, regs(d, "edid_size"));
            assertEquals(60, d.read(offset(d, 10) + 2048 + 4, 60).length);
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 10) + 2048 + 64, 4)));
        }

        @Test
        void otherRegistersAreReadOnlyAndOnlyFourByteAccessesWork() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(Errno.EFAULT, errno(() -> d.writeLe(offset(d, 10)
                    + VfioRegionGfxEdid.LAYOUT.offsetOf("max_xres"), 4, 800)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 10) + 2, 2)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, 10) + 24, 4)));
        }

        @Test
        void blobOffsetsAliasEverySixtyFourKib() {
            Dev d = vgpu(Arch.X86_64);
            assertArrayEquals(d.read(offset(d, 10) + 2048, 16), d.read(offset(d, 10) + 2048 + 0x10000, 16));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void sliceMappedEagerlyWithProtectionUnchanged(Arch arch) {
            Dev d = vgpu(arch);
            KvmgtVgpu hw = (KvmgtVgpu) d.hw();
            long len = 4 * arch.pageSize();
            long bar2 = offset(d, 2);
            Mapping m = d.mmapShared(len, bar2 + SLICE);
            assertEquals(PgProt.WB, m.pgprot());
            assertEquals(4L, m.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals((hw.hostApertureStart() + SLICE) >>> arch.pageShift(), d.pte(m.addr()).pfn());
            assertEquals((bar2 + SLICE) >>> arch.pageShift(), m.vma().vmPgoff(), "vm_pgoff kept");
            m.store(8, 4, 0xc0ffeeL);
            assertEquals(0xc0ffeeL, hw.aperture().read(SLICE + 8, 4));
        }

        @Test
        void indexAtOrPastRomIsEinval() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, offset(d, 7))));
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, offset(d, 9))));
        }

        @Test
        void privateMappingIsEinval() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_PRIVATE,
                    offset(d, 2) + SLICE)));
        }

        @Test
        void anyBarButTwoIsEinval() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, offset(d, 0))));
        }

        @Test
        void outsideTheSliceIsEinval() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, offset(d, 2))), "start before the slice");
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x2000, offset(d, 2) + 2 * SLICE - 0x1000)),
                    "end past the slice");
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, offset(d, 2) + 2 * SLICE)));
        }

        /**
         * kvmgt refuses a VMA past BAR2's end as it does one past the slice (-EINVAL), and an
         * empty region as any index but BAR2; on the cookie path no cookie covers either and
         * the core refuses them (-ENXIO).
         */
        @Test
        void pastBar2OrInAnEmptyRegionIsRefused() {
            Dev d = vgpu(Arch.X86_64);
            int expected = onCookiePath(d) ? Errno.ENXIO : Errno.EINVAL;
            assertEquals(expected, errno(() -> d.mmapShared(0x2000, offset(d, 2) + 256 * MIB - 0x1000)),
                    "past BAR2's end");
            assertEquals(expected, errno(() -> d.mmapShared(0x1000, offset(d, 1))), "BAR1 is empty");
        }
    }

    /**
     * kvmgt at its edges: the 4 KiB config space's last word and its registers past the
     * model's 256, config writes of every width, BAR0's MMIO and GGTT ends, the aperture read
     * back, the mmap checks at the slice's end and on BAR0, the IRQ and REGION_INFO answers to
     * short or junk requests, and user buffers that fault.
     */
    @Nested
    class Edges {
        /**
         * intel_vgpu_emulate_cfg_read/write: {@code offset + bytes} up to
         * {@code cfg_space_size} (4 KiB) is taken, also past the 256 bytes the model keeps;
         * at 4096 the emulation says -EINVAL and intel_vgpu_read/write -EFAULT.
         */
        @Test
        void configSpaceEndsAtFourKib() {
            Dev d = vgpu(Arch.X86_64);
            long cfg = offset(d, 7);
            assertEquals(4, d.read(cfg + 4092, 4).length);
            assertEquals(4, d.writeLe(cfg + 4092, 4, 0x12345678L));
            assertEquals(4, d.read(cfg + 0x100, 4).length);
            assertEquals(4, d.writeLe(cfg + 0x100, 4, 0x12345678L));
            assertEquals(Errno.EFAULT, errno(() -> d.write(cfg + 4096, new byte[1])));
            assertEquals(Errno.EFAULT, errno(() -> d.read(cfg + 4096, 1)));
        }

        /**
         * A 4-byte config write is one emulated write of the little-endian dword
         * (intel_vgpu_emulate_cfg_write, emulate_pci_bar_write): intel_vgpu_write_pci_bar keeps
         * bits 31-4 as written and the type bits below them, with no mask for the BAR's size;
         * all ones is sizing and reads back ~(16 MiB - 1) with the type bits.
         */
        @Test
        void aDwordConfigWriteIsTakenWhole() {
            Dev d = vgpu(Arch.X86_64);
            long cfg = offset(d, 7);
            assertEquals(4, d.writeLe(cfg + 0x10, 4, 0x12345678L));
            assertEquals(0x12345674L, d.readLe(cfg + 0x10, 4));
            assertEquals(4, d.writeLe(cfg + 0x10, 4, 0xffffffffL));
            assertEquals(0xff000004L, d.readLe(cfg + 0x10, 4));
        }

        /**
         * intel_vgpu_read: GGTT entries are 8 bytes only where gtt_entry matches, which no
         * region index does; elsewhere 8 bytes are two 4-byte pieces, so an 8-byte read of
         * config space (whose emulation takes at most 4) works.
         */
        @Test
        void eightBytesOfConfigSpaceAreTwoPieces() {
            Dev d = vgpu(Arch.X86_64);
            long cfg = offset(d, 7);
            assertEquals(0x19128086L | d.readLe(cfg + 4, 4) << 32, d.readLe(cfg, 8));
        }

        /**
         * intel_vgpu_bar_rw: the MMIO registers reach their last byte below 2 MiB, the GGTT
         * runs from 8 MiB to the BAR's end, and one past the BAR is -EINVAL (-EFAULT).
         */
        @Test
        void mmioAndGgttEnds() {
            Dev d = vgpu(Arch.X86_64);
            long bar0 = offset(d, 0);
            assertEquals(4, d.writeLe(bar0 + 2 * MIB - 4, 4, 0x01020304L));
            assertEquals(0x01020304L, d.readLe(bar0 + 2 * MIB - 4, 4));
            assertEquals(4, d.writeLe(bar0 + 8 * MIB, 4, 0x05060708L));
            assertEquals(0x05060708L, d.readLe(bar0 + 8 * MIB, 4));
            assertEquals(4, d.read(bar0 + 16 * MIB - 4, 4).length);
            assertEquals(Errno.EFAULT, errno(() -> d.read(bar0 + 16 * MIB, 4)));
        }

        /** intel_vgpu_aperture_rw reads what the host aperture holds. */
        @Test
        void apertureReadsTheHostAperture() {
            Dev d = vgpu(Arch.X86_64);
            ((KvmgtVgpu) d.hw()).aperture().write(SLICE + 0x20, 4, 0x600dcafeL);
            assertEquals(0x600dcafeL, d.readLe(offset(d, 2) + SLICE + 0x20, 4));
        }

        /**
         * intel_vgpu_mmap: a VMA ending exactly at the slice's end is taken; BAR0 is refused
         * even at an offset that would fall inside the slice.
         */
        @Test
        void mmapToTheSliceEndAndNotBar0() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(0x1000, d.mmapShared(0x1000, offset(d, 2) + 2 * SLICE - 0x1000).length());
            if (!onCookiePath(d)) {
                assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, offset(d, 0) + SLICE)));
            }
        }

        /**
         * intel_vgpu_ioctl GET_IRQ_INFO: argsz below 16 is -EINVAL; INTx has one vector
         * (intel_vgpu_get_irq_count). Short buffers for GET_INFO and GET_IRQ_INFO are -EFAULT.
         */
        @Test
        void irqInfoArgszAndShortBuffers() {
            Dev d = vgpu(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO,
                    new VfioIrqInfo(8, 0, 0, 0).encode())));
            assertEquals(1, d.irq(0).count());
            UserFaults.assertShortInfoHeadsEfault(d);
        }

        /**
         * intel_vgpu_ioctl_get_region_info sets offset, size and flags on every branch,
         * whatever the request held.
         */
        @Test
        void regionInfoOverwritesAJunkRequest() {
            Dev d = vgpu(Arch.X86_64);
            UserFaults.assertRegionInfoOverwritesJunk(d, 256, 0, 1, 2, 5, 6, 7, 8, 9);
        }

        /**
         * intel_vgpu_read/write: a copy that faults makes the call -EFAULT, and a faulted
         * write's piece never reaches the vGPU.
         */
        @Test
        void aFaultingUserBufferIsEfault() {
            Dev d = vgpu(Arch.X86_64);
            long bar0 = offset(d, 0);
            d.writeLe(bar0 + 0x100, 4, 0xabcd);
            assertEquals(-Errno.EFAULT, UserFaults.readInto(d, 2, 4, bar0 + 0x100));
            assertEquals(-Errno.EFAULT, UserFaults.writeFrom(d, 0, 4, bar0 + 0x100));
            assertEquals(0xabcd, d.readLe(bar0 + 0x100, 4));
        }

        /**
         * intel_vgpu_ioctl (GET_INFO, GET_IRQ_INFO): the head is read, then the copy_to_user of the
         * answer into read-only user memory faults: -EFAULT.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            Dev d = vgpu(Arch.X86_64);
            d.info();
            UserFaults.assertInfoIntoReadOnlyMemoryEfault(d);
        }
    }
}
