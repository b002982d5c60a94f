package vfiowb.common.hw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeviceModelsTest {
    SystemBus bus;

    @BeforeEach
    void boot() {
        bus = new SystemBus();
    }

    @SuppressWarnings("unchecked")
    <T extends Device> T create(String name) {
        return (T) DeviceCatalogue.byName(name).orElseThrow().create(bus);
    }

    @Nested
    class Igd {
        @Test
        void opRegionIsInRamBelow4GiBAndNamedInAsls() {
            IgdFunction igd = create("igd");
            byte[] op = igd.opRegion();
            assertEquals(8192, op.length);
            assertEquals("IntelGraphicsMem", new String(op, 0, 16, StandardCharsets.US_ASCII));
            assertEquals(8, op[0x10]);
            assertEquals(igd.opRegionAddress(), igd.configRead(0xFC, 4));
            assertTrue(igd.opRegionAddress() < (1L << 32));
            assertEquals(0x6574_6E49L, bus.read(igd.opRegionAddress(), 4), "\"Inte\" through the bus");
            assertEquals("$VBT", new String(op, 0x400, 4, StandardCharsets.US_ASCII));
        }

        @Test
        void bridgesAndVga() {
            IgdFunction igd = create("igd");
            byte[] host = igd.hostBridgeConfig();
            byte[] lpc = igd.lpcBridgeConfig();
            assertEquals(256, host.length);
            assertEquals(0x8086, (host[0] & 0xFF) | (host[1] & 0xFF) << 8);
            assertEquals(0x0C00, (host[2] & 0xFF) | (host[3] & 0xFF) << 8);
            assertEquals(0x06, host[0x0B]);
            assertEquals(0x8C4E, (lpc[2] & 0xFF) | (lpc[3] & 0xFF) << 8);
            assertEquals(0x01, lpc[0x0A]);
            assertTrue(igd.isVga());
            assertEquals(0x20000, igd.romSize());
            assertEquals(4L << 20, igd.pciResourceLen(0));
            assertEquals(256, igd.cfgSize());
        }

        @Test
        void twoIgdsOnOneBusGetSeparateOpRegions() {
            IgdFunction a = create("igd");
            IgdFunction b = create("igd");
            assertTrue(Math.abs(a.opRegionAddress() - b.opRegionAddress()) >= 8192);
        }
    }

    @Nested
    class Nvgrace {
        @Test
        void gh200PartitionsPerTheKernelRule() {
            NvgraceGpu g = create("nvgrace-gh200");
            long mem = g.deviceMemoryLength();
            assertTrue(g.hasDeviceMemory());
            assertTrue(g.hasMigHwBug());
            assertFalse(Long.bitCount(mem) == 1);
            long expectUse = ((mem - (1L << 30)) / (512L << 20)) * (512L << 20);
            assertEquals(expectUse, g.usememLength());
            assertEquals(mem - expectUse, g.resmemLength());
            assertEquals(g.usememStart() + g.usememLength(), g.resmemStart());
            assertEquals(128L << 30, g.usememBarSize());
            assertEquals(2L << 30, g.resmemBarSize());
            assertEquals(94.5, g.usememLength() / (double) (1L << 30), 1e-9);
        }

        @Test
        void deviceMemoryIsRamOnTheBusIgnoringDecode() {
            NvgraceGpu g = create("nvgrace-gh200");
            g.setMemoryEnabled(false);
            bus.write(g.resmemStart() + 64, 8, 0xFEED);
            assertEquals(0xFEED, bus.read(g.resmemStart() + 64, 8));
            assertEquals(0xFEED, g.deviceMemory().read(g.usememLength() + 64, 8));
            assertTrue(g.deviceMemoryStart() >= (1L << 32));
            assertTrue(g.deviceMemory().allocatedBytes() <= 4096);
        }

        @Test
        void gb200HasNoResmem() {
            NvgraceGpu g = create("nvgrace-gb200");
            assertFalse(g.hasResmem());
            assertEquals(g.deviceMemoryLength(), g.usememLength());
            assertEquals(256L << 30, g.usememBarSize());
            assertEquals(0, g.resmemBarSize());
        }

        @Test
        void nomemHasOnlyItsRealBar() {
            NvgraceGpu g = create("nvgrace-gh200-nomem");
            assertFalse(g.hasDeviceMemory());
            assertEquals(16L << 20, g.pciResourceLen(0));
            for (int i = 1; i < 6; i++) {
                assertEquals(0, g.pciResourceLen(i));
            }
            assertThrows(IllegalStateException.class, g::deviceMemory);
        }
    }

    @Nested
    class Variants {
        @Test
        void hisiV3KeepsMigrationRegistersInTheUpperHalfOfBar2() {
            HisiAccVf v3 = create("hisi-acc-migrn");
            assertTrue(v3.isQmHwV3());
            assertEquals(0x30, v3.configRead(0x08, 1));
            assertEquals(64 << 10, v3.bar2Size());
            assertEquals(32 << 10, v3.migrationRegistersOffset());
            HisiAccVf v2 = create("hisi-acc");
            assertFalse(v2.migrationCapable());
            assertEquals(-1, v2.migrationRegistersOffset());
        }

        @Test
        void virtioTransitionalHasNoBar0AndA32ByteLegacyBar() {
            VirtioNetVf v = create("virtio-net-transitional");
            assertTrue(v.supportsLegacyIo());
            assertTrue(v.supportsLiveMigration());
            assertFalse(v.bar0Exists());
            assertEquals(0, v.pciResourceLen(0));
            assertEquals(0x20, v.legacyIoBarSize());
            assertEquals(1, Long.bitCount(v.legacyIoBarSize()));
            assertEquals(256, v.legacyIoRead(0x0C, 2));
            v.legacyIoWrite(0x0C, 2, 16);
            assertEquals(256, v.legacyIoRead(0x0C, 2));
            v.legacyIoWrite(0x10, 2, 0);
            assertEquals(1, v.legacyNotifyCount());
            assertEquals(0x02, v.legacyIoRead(0x18, 1), "MAC starts the device config at 24");
            assertEquals(2, v.notifyBar());
        }

        @Test
        void virtioFlavours() {
            VirtioNetVf lm = create("virtio-net-lm");
            assertFalse(lm.supportsLegacyIo());
            assertTrue(lm.supportsLiveMigration());
            VirtioNetVf plain = create("virtio-net");
            assertFalse(plain.supportsLegacyIo() || plain.supportsLiveMigration());
        }

        @Test
        void ismStoreBlockRules() {
            IsmFunction ism = create("ism");
            assertEquals(4096, ism.maxstbl());
            byte[] block = new byte[256];
            Arrays.fill(block, (byte) 0x3C);
            ism.pciStoreBlock(0, (200L << 40) + 0x100, block);
            assertEquals(0x3C3C_3C3C_3C3C_3C3CL, ism.barRead(0, (200L << 40) + 0x1F8, 8));
            assertThrows(IllegalArgumentException.class, () -> ism.pciStoreBlock(0, 0xF80, block));
            assertThrows(IllegalArgumentException.class, () -> ism.pciStoreBlock(0, 0, new byte[4097]));
            assertTrue(ism.barMemory(0).orElseThrow().allocatedBytes() <= 4096);
        }
    }

    @Nested
    class Platform {
        @Test
        void xgmacResourcesExerciseTheMmapRule() {
            PlatformDevice p = create("platform-xgmac");
            assertEquals("calxeda,hb-xgmac", p.compatible());
            assertTrue(p.hasReset());
            PlatformResource regs = p.resource(0);
            assertEquals(0, regs.start() % 4096);
            assertEquals(4096, regs.size());
            PlatformResource stats = p.resource(1);
            assertTrue(stats.size() < 4096);
            assertFalse(p.resource(2).writable());
            assertTrue(IoResource.READONLY.in(p.resource(2).flags()));
            assertEquals(PlatformResource.Kind.PIO, p.resource(3).kind());
            assertEquals(3, p.irqCount());
        }

        @Test
        void resourcesDecodeOnTheBus() {
            PlatformDevice p = create("platform-xgmac");
            p.resourceWrite(0, 0x10, 4, 0xAB);
            assertEquals(0xAB, bus.read(p.resource(0).start() + 0x10, 4));
            p.resourceWrite(2, 0, 4, 0xAB);
            assertEquals(0, p.resourceRead(2, 0, 4), "read-only resource ignores stores");
            p.resourceWrite(3, 1, 1, 0x5);
            assertEquals(0x5, bus.ioRead(p.resource(3).start() + 1, 1));
        }

        @Test
        void amba() {
            AmbaDevice a = create("amba-pl011");
            assertEquals(1, a.resources().size());
            assertEquals(0x00041011, a.periphId());
            assertEquals(0x11, a.resourceRead(0, 0xFE0, 4));
            assertEquals(0x10, a.resourceRead(0, 0xFE4, 4));
            assertEquals(0, a.resource(0).start() % 4096);
        }

        @Test
        void cdxBusMasterAndReset() {
            CdxDevice c = create("cdx-dev");
            assertEquals(0x10EE, c.vendorId());
            assertTrue(c.resource(0).start() >= (1L << 32));
            c.setBusMaster(true);
            c.resourceWrite(0, 0, 4, 7);
            c.reset();
            assertFalse(c.busMasterEnabled());
            assertEquals(0, c.resourceRead(0, 0, 4));
            assertEquals(1, c.resetCount());
        }
    }

    @Nested
    class FslMc {
        @Test
        void portalExecutesReadyCommands() {
            FslMcDevice d = create("fsl-mc-dprc");
            assertTrue(d.isDprc());
            assertTrue(d.hasCommandPortal());
            assertEquals(64, FslMcDevice.commandPortalSize());
            for (int q = 1; q < 8; q++) {
                d.regionWrite(0, 8L * q, 8, q);
            }
            long header = 0x0123L << 48 | 0x01L << 16;
            d.regionWrite(0, 0, 8, header);
            assertEquals(0x00, d.regionRead(0, 2, 1));
            assertEquals(0x0123, d.regionRead(0, 6, 2));
            assertEquals(3, d.regionRead(0, 24, 8));
            assertEquals(1, d.commandsExecuted());
        }

        @Test
        void dpioRegionAttributes() {
            FslMcDevice d = create("fsl-mc-dpio");
            assertFalse(d.hasCommandPortal());
            assertEquals(0x3, d.region(0).typeBits());
            assertEquals(0x0, d.region(1).typeBits());
            assertEquals(0, d.region(0).start() % 4096);
            assertThrows(IllegalArgumentException.class, () -> new FslMcRegion(0, 16, false, true, true));
        }
    }

    @Nested
    class S390 {
        @Test
        void ccwRegionSizesFollowTheUapiStructs() {
            CcwDevice c = create("ccw-subchannel");
            assertEquals(124, CcwDevice.ioRegionSize());
            assertEquals(8, CcwDevice.asyncCmdRegionSize());
            assertEquals(52, CcwDevice.schibRegionSize());
            assertEquals(8, CcwDevice.crwRegionSize());
            assertEquals("0.0.0013", c.subchannelId());
            assertEquals("0.0.1234", c.deviceBusId());
            byte[] schib = c.storeSubchannel();
            assertEquals(52, schib.length);
            assertEquals(0x12, schib[6]);
            assertEquals(0x34, schib[7]);
            assertTrue(c.nextCrw().isEmpty());
            c.queueCrw(0x1234_5678);
            assertEquals(0x1234_5678, c.nextCrw().getAsInt());
        }

        @Test
        void apHasNoRegions() {
            ApDevice a = create("ap-matrix");
            assertEquals(0, a.regionCount());
            assertEquals(2, a.adapters().size());
        }
    }

    @Nested
    class Mdev {
        @Test
        void mttyLoopsBackAndHasIoBars() {
            MttyDevice m = create("mtty");
            assertEquals(2, m.portCount());
            assertEquals(8, MttyDevice.ioBarSize());
            assertEquals(0xFF, MttyDevice.configRegionSize());
            assertEquals(0x4348, m.config().vendorId());
            assertEquals(0x3253, m.config().deviceId());
            assertEquals(0x070002, m.config().classCode());
            assertEquals(1, m.config().read(0x10, 4) & 1);
            assertEquals(1, m.config().read(0x14, 4) & 1);
            m.config().write(0x10, 4, 0xFFFF_FFFFL);
            assertEquals(0xFFFF_FFF9L, m.config().read(0x10, 4));
            MttyDevice.Uart16550 u = m.port(0);
            assertEquals(0x60, u.read(5));
            u.write(0, 'h');
            u.write(0, 'i');
            assertEquals(0x61, u.read(5));
            assertEquals('h', u.read(0));
            assertEquals('i', u.read(0));
            assertEquals(0, m.port(1).rxLevel());
            assertEquals(1, new MttyDevice("one", 1).portCount());
            assertThrows(IllegalArgumentException.class, () -> new MttyDevice("three", 3));
        }

        @Test
        void mdpyFramebuffer() {
            MdpyDevice m = create("mdpy");
            assertEquals(4L << 20, m.memsize());
            assertEquals(1024 * 4, m.stride());
            assertEquals(0x34325258, m.format());
            assertEquals(1024, m.config().read(0x48, 4));
            assertEquals(768, m.config().read(0x4C, 4));
            assertEquals(0x1B36, m.config().vendorId());
            bus.write(m.framebufferStart() + 4, 4, 0x00FF_0000L);
            assertEquals(0x00FF_0000L, m.framebuffer().read(4, 4));
            assertEquals(0, m.memsize() % 4096);
            assertEquals(0x8, m.config().read(0x10, 4) & 0xF, "prefetchable 32-bit BAR0");
        }

        @Test
        void mbochsPagesEdidAndMmio() {
            MbochsDevice m = create("mbochs");
            assertEquals(16L << 20, m.memsize());
            assertEquals(4096, m.pageCount());
            assertEquals(4096, MbochsDevice.mmioBarSize());
            assertEquals(0xB0C5, m.mmio().read(0x500, 2));
            assertEquals(2048, MbochsDevice.edidBlobOffset());
            assertTrue(Edid.isValid(m.edidBlob()));
            assertEquals(1920, m.maxXres());
            assertEquals(0, m.memory().touchedPages());
            bus.write(m.memoryStart() + 5 * 4096, 8, 1);
            assertEquals(1, m.memory().touchedPages());
        }

        @Test
        void kvmgtSliceInsideTheHostAperture() {
            KvmgtVgpu v = create("kvmgt-vgpu");
            assertEquals(256L << 20, v.hostApertureSize());
            assertTrue(v.apertureSliceOffset() + v.apertureSliceSize() <= v.hostApertureSize());
            assertEquals(v.hostApertureStart() + v.apertureSliceOffset(), v.apertureSliceStart());
            bus.write(v.apertureSliceStart(), 4, 9);
            assertEquals(9, v.aperture().read(v.apertureSliceOffset(), 4));
            assertEquals("IntelGraphicsMem", new String(v.opRegion(), 0, 16, StandardCharsets.US_ASCII));
            assertTrue(Edid.isValid(v.edidBlob()));
            assertEquals(0xC, v.config().read(0x18, 4) & 0xF);
        }
    }

    @Nested
    class Blobs {
        @Test
        void edidIsValidAndCarriesTheMode() {
            byte[] e = Edid.forMode(1920, 1200);
            assertTrue(Edid.isValid(e));
            assertEquals(1920, (e[56] & 0xFF) | ((e[58] & 0xF0) << 4));
            assertEquals(1200, (e[59] & 0xFF) | ((e[61] & 0xF0) << 4));
            e[20] ^= 1;
            assertFalse(Edid.isValid(e));
        }

        @Test
        void opRegionHeader() {
            byte[] r = OpRegion.build("X");
            assertEquals(OpRegion.size(), r.length);
            assertArrayEquals(OpRegion.signature().getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(r, 16));
            assertEquals(2, r[0x17], "major version 2");
        }
    }
}
