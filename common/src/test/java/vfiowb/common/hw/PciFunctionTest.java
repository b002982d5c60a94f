package vfiowb.common.hw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.hw.PciConfigSpace.CapabilityId;
import vfiowb.common.hw.PciConfigSpace.Command;
import vfiowb.common.hw.PciConfigSpace.Register;
import vfiowb.common.testing.PciAccessLog;
import vfiowb.common.testing.PciAccessLog.Access;

class PciFunctionTest {

    /** BM-like: 64 KiB 64-bit BAR0 with the MSI-X table at 0x8000 (64 entries), plus an I/O BAR and a ROM. */
    static PciFunctionSpec nic() {
        byte[] image = new byte[0x6000];
        image[0] = 0x55;
        image[1] = (byte) 0xAA;
        return PciFunctionSpec.builder("test-nic")
                .ids(0x8086, 0x154c).subsystem(0x8086, 0x0001).classCode(0x020000).revision(2)
                .bar(PciBar.mem64(0, 0x10000, true))
                .bar(PciBar.mem32(2, 0x4000, false))
                .bar(PciBar.io(4, 0x20))
                .rom(PciRom.bar(0x10000, image))
                .msix(new MsixCapability(0, 0x8000, 64, 0, 0x9000))
                .build();
    }

    SystemBus bus;
    PciFunction f;

    @BeforeEach
    void boot() {
        bus = new SystemBus();
        f = nic().create(bus);
    }

    @Nested
    class Header {
        @Test
        void idsClassAndRevision() {
            PciConfigSpace c = f.config();
            assertEquals(0x8086, c.read(0, 2));
            assertEquals(0x154c, c.read(2, 2));
            assertEquals(0x154c_8086L, c.read(0, 4));
            assertEquals(0x020000, f.classCode());
            assertEquals(0x02, c.read(Register.CLASS_DEVICE) >> 8);
            assertEquals(2, f.revision());
            assertEquals(0x8086, f.subsystemVendorId());
            assertEquals(1, f.subsystemId());
            assertEquals(0, c.headerType());
            assertFalse(f.isVga());
        }

        @Test
        void idsAreReadOnly() {
            f.configWrite(0, 4, 0);
            assertEquals(0x8086, f.vendorId());
            assertEquals(0x154c, f.deviceId());
        }

        @Test
        void statusAdvertisesACapabilityList() {
            assertEquals(0x10, f.config().status() & 0x10);
            assertEquals(0x40, f.config().read(Register.CAPABILITY_LIST));
        }

        @Test
        void cfgSizeFollowsTheBus() {
            assertEquals(4096, f.cfgSize());
            assertTrue(f.isPcie());
            PciFunction legacy = PciFunctionSpec.builder("old").ids(0x10ec, 0x8139).classCode(0x020000)
                    .conventional().bar(PciBar.mem32(0, 0x4000, false)).build().create(bus);
            assertEquals(256, legacy.cfgSize());
            assertFalse(legacy.isPcie());
            assertTrue(legacy.config().findCapability(CapabilityId.EXP).isEmpty());
        }

        @Test
        void vgaClassIsRecognised() {
            PciFunction vga = PciFunctionSpec.builder("vga").ids(0x10de, 0x2204).classCode(0x030000)
                    .bar(PciBar.mem32(0, 0x100_0000, false)).build().create(bus);
            assertTrue(vga.isVga());
            PciFunction threeD = PciFunctionSpec.builder("3d").ids(0x10de, 0x2330).classCode(0x030200)
                    .bar(PciBar.mem32(0, 0x100_0000, false)).build().create(bus);
            assertFalse(threeD.isVga());
        }
    }

    @Nested
    class CommandRegister {
        @Test
        void decodeOnBusMasterOffAfterEnumeration() {
            assertTrue(f.memoryEnabled());
            assertTrue(f.ioEnabled());
            assertFalse(f.busMasterEnabled());
            assertEquals(Command.IO.mask() | Command.MEMORY.mask(), f.command());
        }

        @Test
        void busMasterRoundTrip() {
            f.configWrite(4, 2, f.command() | 0x4);
            assertTrue(f.busMasterEnabled());
            assertEquals(0x4, f.configRead(4, 2) & 0x4);
            f.configWrite(4, 2, f.command() & ~0x4);
            assertFalse(f.busMasterEnabled());
        }

        @Test
        void reservedBitsStayClear() {
            f.configWrite(4, 2, 0xFFFF);
            assertEquals(0x0547, f.command());
        }

        @Test
        void statusErrorBitsAreWriteOneToClear() {
            f.config().set(Register.STATUS, 0x2010);
            f.configWrite(6, 2, 0x2000);
            assertEquals(0x0010, f.config().status());
        }

        @Test
        void enableDeviceTurnsDecodeBackOn() {
            f.configWrite(4, 2, 0);
            assertFalse(f.memoryEnabled());
            f.pciEnableDevice();
            assertTrue(f.memoryEnabled());
            assertTrue(f.ioEnabled());
        }
    }

    @Nested
    class BarRegisters {
        @Test
        void typeBitsAndAddressesAreEncoded() {
            long bar0 = f.configRead(0x10, 4);
            long bar1 = f.configRead(0x14, 4);
            assertEquals(0xC, bar0 & 0xF, "64-bit prefetchable");
            assertEquals(f.pciResourceStart(0), (bar1 << 32) | (bar0 & ~0xFL));
            assertEquals(0x0, f.configRead(0x18, 4) & 0xF, "32-bit non-prefetchable");
            assertEquals(f.pciResourceStart(2), f.configRead(0x18, 4) & ~0xFL);
            assertEquals(0x0, f.configRead(0x1C, 4), "BAR3 unimplemented");
            assertEquals(0x1, f.configRead(0x20, 4) & 0x3, "I/O");
            assertEquals(f.pciResourceStart(4), f.configRead(0x20, 4) & ~0x3L);
        }

        @Test
        void sizingByWritingAllOnes() {
            f.configWrite(0x10, 4, 0xFFFF_FFFFL);
            f.configWrite(0x14, 4, 0xFFFF_FFFFL);
            long size64 = ~(((f.configRead(0x14, 4) << 32) | f.configRead(0x10, 4)) & ~0xFL) + 1;
            assertEquals(0x10000, size64);
            f.configWrite(0x18, 4, 0xFFFF_FFFFL);
            assertEquals(0xFFFF_C000L, f.configRead(0x18, 4));
            f.configWrite(0x20, 4, 0xFFFF_FFFFL);
            assertEquals(0xFFFF_FFE1L, f.configRead(0x20, 4));
            f.configWrite(0x30, 4, 0xFFFF_F800L);
            assertEquals(0xFFFF_0000L, f.configRead(0x30, 4));
        }

        @Test
        void a2TiBBarSizesThroughItsUpperRegister() {
            PciFunction big = PciFunctionSpec.builder("big").ids(1, 2).classCode(0x050210)
                    .bar(PciBar.mem64(2, 2L << 40, true)).build().create(bus);
            big.configWrite(0x18, 4, 0xFFFF_FFFFL);
            big.configWrite(0x1C, 4, 0xFFFF_FFFFL);
            assertEquals(0xCL, big.configRead(0x18, 4));
            assertEquals(0xFFFF_FE00L, big.configRead(0x1C, 4));
        }

        @Test
        void upperHalfOfA64BitBarHasNoResource() {
            assertTrue(f.isMem64(0));
            assertTrue(f.isUpperHalf(1));
            assertEquals(0, f.pciResourceLen(1));
            assertEquals(0, f.pciResourceStart(1));
            assertEquals(0, f.pciResourceFlags(1));
            assertTrue(f.bar(1).isEmpty());
            assertFalse(f.isUpperHalf(3));
        }

        @Test
        void resourceFlagsAreIoresourceStyle() {
            assertEquals(0x0014_220CL, f.pciResourceFlags(0));
            assertEquals(0x0004_0200L, f.pciResourceFlags(2));
            assertEquals(0x0004_0101L, f.pciResourceFlags(4));
            assertEquals(0x0004_6200L, f.pciResourceFlags(6));
            assertTrue(IoResource.MEM_64.in(f.pciResourceFlags(0)));
            assertTrue(f.isPrefetch(0));
            assertTrue(f.isIoBar(4));
            assertEquals(f.pciResourceStart(0) + 0xFFFF, f.pciResourceEnd(0));
            assertEquals(0, f.pciResourceEnd(3));
        }

        @Test
        void barsAreNaturallyAlignedInTheirWindows() {
            assertTrue(f.pciResourceStart(0) >= (1L << 46), "64-bit BAR above 4 GiB");
            assertTrue(f.pciResourceStart(2) < (1L << 32));
            assertEquals(0, f.pciResourceStart(0) % 0x10000);
            assertEquals(0, f.pciResourceStart(2) % 0x4000);
            assertTrue(f.pciResourceStart(4) < 0x10000);
        }

        @Test
        void specRejectsBadLayouts() {
            assertThrows(IllegalArgumentException.class, () -> PciBar.mem64(5, 0x1000, false));
            assertThrows(IllegalArgumentException.class, () -> PciBar.mem32(0, 0x3000, false));
            assertThrows(IllegalArgumentException.class, () -> PciBar.io(0, 0x200));
            assertThrows(IllegalArgumentException.class, () -> PciBar.mem32(0, 8, false));
            assertThrows(IllegalArgumentException.class, () -> PciFunctionSpec.builder("x")
                    .bar(PciBar.mem64(0, 0x1000, false)).bar(PciBar.mem32(1, 0x1000, false)));
            assertThrows(IllegalArgumentException.class, () -> PciFunctionSpec.builder("x")
                    .ids(1, 1).classCode(0).bar(PciBar.mem32(0, 0x1000, false))
                    .msix(new MsixCapability(3, 0, 4, 0, 0x800)).build());
        }
    }

    @Nested
    class Capabilities {
        @Test
        void walkFindsExpressThenMsix() {
            List<Integer> ids = f.config().capabilities().stream()
                    .map(PciConfigSpace.Capability::id).collect(Collectors.toList());
            assertEquals(List.of(0x10, 0x11), ids);
        }

        @Test
        void msixCapabilityEncodesTableAndPba() {
            int cap = f.msixCapabilityOffset().getAsInt();
            assertEquals(cap, f.config().findCapability(0x11).getAsInt());
            assertEquals(63, f.configRead(cap + 2, 2) & 0x7FF);
            long table = f.configRead(cap + 4, 4);
            assertEquals(0, table & 7, "table BIR");
            assertEquals(0x8000, table & ~7L);
            long pba = f.configRead(cap + 8, 4);
            assertEquals(0, pba & 7);
            assertEquals(0x9000, pba & ~7L);
            assertEquals(0, f.msixTableBar());
            assertEquals(0x8000, f.msixTableOffset());
            assertEquals(64 * 16, f.msixTableSize());
            assertEquals(8, f.msixPbaSize());
        }

        @Test
        void msixControlHasOnlyEnableAndMaskWritable() {
            int cap = f.msixCapabilityOffset().getAsInt();
            f.configWrite(cap + 2, 2, 0xFFFF);
            assertEquals(0xC000 | 63, f.configRead(cap + 2, 2));
        }

        @Test
        void noMsixMeansMarkers() {
            PciFunction plain = PciFunctionSpec.builder("plain").ids(1, 2).classCode(0x020000)
                    .bar(PciBar.mem32(0, 0x4000, false)).build().create(bus);
            assertFalse(plain.hasMsix());
            assertEquals(-1, plain.msixTableBar());
            assertEquals(0, plain.msixTableSize());
            assertTrue(plain.msixCapabilityOffset().isEmpty());
        }

        @Test
        void cyclicListTerminates() {
            PciConfigSpace c = new PciConfigSpace(256);
            c.set(Register.STATUS, 0x10);
            c.set(Register.CAPABILITY_LIST, 0x40);
            c.set(0x40, 1, 0x11);
            c.set(0x41, 1, 0x50);
            c.set(0x50, 1, 0x05);
            c.set(0x51, 1, 0x40);
            assertEquals(48, c.capabilities().size());
        }
    }

    @Nested
    class MemoryDecode {
        @Test
        void barReadsThroughTheBus() {
            long addr = f.pciResourceStart(0) + 0x10;
            bus.write(addr, 4, 0x1234_5678L);
            assertEquals(0x1234_5678L, bus.read(addr, 4));
            assertEquals(0x1234_5678L, f.barRead(0, 0x10, 4));
        }

        @Test
        void decodeOffReadsAllOnesAndDropsWrites() {
            long addr = f.pciResourceStart(2) + 0x100;
            bus.write(addr, 4, 0xCAFE);
            f.setMemoryEnabled(false);
            assertEquals(0xFFFF_FFFFL, bus.read(addr, 4));
            assertEquals(-1L, bus.read(addr, 8));
            assertEquals(0xFF, bus.read(addr, 1));
            bus.write(addr, 4, 0xBEEF);
            f.setMemoryEnabled(true);
            assertEquals(0xCAFE, bus.read(addr, 4));
        }

        @Test
        void ioBarFollowsTheIoBit() {
            long port = f.pciResourceStart(4);
            bus.ioWrite(port + 2, 2, 0xABCD);
            assertEquals(0xABCD, bus.ioRead(port + 2, 2));
            f.configWrite(4, 2, f.command() & ~Command.IO.mask());
            assertEquals(0xFFFF, bus.ioRead(port + 2, 2));
            assertEquals(0xFFFF, f.barRead(4, 2, 2));
        }

        @Test
        void msixEntriesStartMaskedAndPbaIsReadOnly() {
            assertEquals(1, f.barRead(0, 0x8000 + 12, 4));
            assertEquals(1, f.barRead(0, 0x8000 + 63 * 16 + 12, 4));
            f.barWrite(0, 0x9000, 8, -1L);
            assertEquals(0, f.barRead(0, 0x9000, 8));
        }

        @Test
        void romDecodesOnlyWhenEnabled() {
            long rom = f.pciResourceStart(6);
            assertFalse(f.romEnabled());
            assertEquals(0xFFFF_FFFFL, bus.read(rom, 4));
            f.configWrite(0x30, 4, f.configRead(0x30, 4) | 1);
            assertEquals(0xAA55, bus.read(rom, 2));
            bus.write(rom, 2, 0);
            assertEquals(0xAA55, bus.read(rom, 2));
        }
    }

    @Nested
    class Rom {
        @Test
        void sizeImageAndFillBeyondIt() {
            assertTrue(f.hasRom());
            assertEquals(0x10000, f.romSize());
            assertEquals(0x10000, f.pciResourceLen(6));
            assertEquals(0x55, f.romRead(0, 1));
            assertEquals(0xFFFF_FFFFL, f.romRead(0x6000, 4));
            assertEquals(0xFF00_0000L, f.romRead(0x5FFD, 4) & 0xFF00_0000L);
            assertEquals(0x6000, f.romImage().length);
        }

        @Test
        void shadowRomOfABootVgaDevice() {
            PciFunction vga = PciFunctionSpec.builder("boot-vga").ids(0x8086, 0x0412).classCode(0x030000)
                    .bar(PciBar.mem64(0, 0x40_0000, false)).rom(PciRom.shadow(new byte[] {0x55, (byte) 0xAA}))
                    .build().create(bus);
            assertEquals(0x20000, vga.pciResourceLen(6));
            assertEquals(0xC0000, vga.pciResourceStart(6));
            assertTrue(IoResource.ROM_SHADOW.in(vga.pciResourceFlags(6)));
            assertEquals(0, vga.configRead(0x30, 4));
            assertEquals(0xFF, vga.romRead(0x1FFFF, 1));
        }

        @Test
        void noRom() {
            PciFunction plain = PciFunctionSpec.builder("plain").ids(1, 2).classCode(0x020000)
                    .bar(PciBar.mem32(0, 0x4000, false)).build().create(bus);
            assertFalse(plain.hasRom());
            assertEquals(0, plain.pciResourceLen(6));
            assertEquals(0, plain.pciResourceFlags(6));
        }
    }

    @Nested
    class Reset {
        @Test
        void flrClearsCommandBarRegistersAndContents() {
            f.setBusMaster(true);
            f.barWrite(0, 0x100, 8, 0x42);
            f.barWrite(0, 0x8000 + 12, 4, 0);
            f.reset();
            assertEquals(0, f.command());
            assertFalse(f.memoryEnabled());
            assertEquals(0xC, f.configRead(0x10, 4));
            assertEquals(0, f.configRead(0x14, 4));
            assertEquals(0x1, f.configRead(0x20, 4));
            assertEquals(0, f.configRead(0x30, 4));
            assertEquals(0x8086, f.vendorId());
            f.pciEnableDevice();
            assertEquals(0, f.barRead(0, 0x100, 8));
            assertEquals(1, f.barRead(0, 0x8000 + 12, 4), "MSI-X entries masked again");
            assertEquals(1, f.resetCount());
            assertEquals(0x55, f.romRead(0, 1), "ROM survives");
        }

        @Test
        void pciResetFunctionRestoresConfigButNotContents() {
            f.setBusMaster(true);
            byte[] before = f.config().bytes();
            f.barWrite(2, 0, 4, 0x77);
            f.pciResetFunction();
            assertArrayEquals(before, f.config().bytes());
            assertTrue(f.memoryEnabled());
            assertEquals(0, f.barRead(2, 0, 4));
        }

        @Test
        void expressDevctlInitiatesFlr() {
            assertTrue(f.flrCapable());
            int exp = f.config().findCapability(CapabilityId.EXP).getAsInt();
            f.barWrite(2, 0, 4, 0x77);
            f.configWrite(exp + 8, 2, f.configRead(exp + 8, 2) | 0x8000);
            assertEquals(1, f.resetCount());
            assertEquals(0, f.command());
            assertEquals(0, f.configRead(exp + 8, 2) & 0x8000, "BCR/FLR reads back 0");
        }

        @Test
        void barPlacementIsUnchangedByReset() {
            long start = f.pciResourceStart(0);
            f.reset();
            assertEquals(start, f.pciResourceStart(0));
            assertNotEquals(0, start);
        }
    }

    /**
     * What the bus analyser shows of one function ({@link PciAccessLog}): BAR, ROM and legacy
     * VGA transactions as resource and offset, in order, with their widths.
     */
    @Nested
    class AccessLog {
        @Test
        void barAndRomTransactionsAsTheFunctionsResourcesInOrder() {
            PciAccessLog log = PciAccessLog.start(f);
            f.barWrite(0, 0x10, 8, 0x1122334455667788L);
            assertEquals(0x5566, f.barRead(0, 0x12, 2));
            f.barWrite(4, 0x3, 1, 0x7f);
            f.setMemoryEnabled(false);
            assertEquals(0xffff_ffffL, f.barRead(0, 0x10, 4), "a master abort reads all ones");
            f.setMemoryEnabled(true);
            assertEquals(0xaa55, f.romRead(0, 2));
            assertEquals(List.of(
                    Access.write(0, 0x10, 8),
                    Access.read(0, 0x12, 2),
                    Access.write(4, 0x3, 1),
                    Access.read(0, 0x10, 4),
                    Access.read(PciFunction.PCI_ROM_RESOURCE, 0, 2)),
                    log.stop(), "the analyser sees what was issued, decoded or not");
            assertThrows(IllegalStateException.class, log::stop);
        }

        @Test
        void anotherFunctionsTransactionsAreLeftOutAndStopDetaches() {
            PciFunction other = PciFunctionSpec.builder("other").ids(0x8086, 0x10d3).classCode(0x020000)
                    .bar(PciBar.mem32(0, 0x1000, false)).build().create(bus);
            PciAccessLog log = PciAccessLog.start(f);
            other.barWrite(0, 0, 4, 1);
            f.barRead(0, 4, 4);
            assertEquals(List.of(Access.read(0, 4, 4)), log.stop());
            PciAccessLog again = PciAccessLog.start(f);
            assertEquals(List.of(), again.stop(), "a new log starts empty");
        }

        @Test
        void vgaLegacyTransactionsCarryTheLegacyAddress() {
            PciFunction vga = PciFunctionSpec.builder("test-vga").ids(0x10de, 0x2204)
                    .classCode(0x030000).bar(PciBar.mem32(0, 0x4000, false)).build().create(bus);
            PciAccessLog log = PciAccessLog.start(vga);
            vga.vgaWrite(0x3c0, 1, 5);
            assertEquals(5, vga.vgaRead(0x3c0, 1));
            vga.vgaRead(0xa0000, 4);
            assertEquals(List.of(
                    Access.write(PciAccessLog.VGA_LEGACY, 0x3c0, 1),
                    Access.read(PciAccessLog.VGA_LEGACY, 0x3c0, 1),
                    Access.read(PciAccessLog.VGA_LEGACY, 0xa0000, 4)),
                    log.stop());
        }
    }
}
