package vfiowb.common.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsPciSpecTest {

    static Path fixture(String name) {
        try {
            return Paths.get(SysfsPciSpecTest.class.getResource("sysfs/" + name + "/resource").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Nested
    class Fixtures {
        @Test
        void x710Vf() throws Exception {
            PciFunctionSpec s = SysfsPciSpec.load(fixture("x710-vf"));
            assertEquals("x710-vf", s.name());
            assertEquals("vfio-pci", s.driver());
            assertEquals("vfio_pci_ops", s.opsTable());
            assertEquals(0x8086, s.vendorId());
            assertEquals(0x154C, s.deviceId());
            assertEquals(0x020000, s.classCode());
            assertEquals(4096, s.cfgSize());
            assertTrue(s.virtfn());
            assertEquals(0x10000, s.bar(0).size());
            assertTrue(s.bar(0).isMem64() && s.bar(0).prefetchable());
            assertTrue(s.bar(1).isEmpty());
            assertEquals(0x4000, s.bar(3).size());
            MsixCapability m = s.msix().orElseThrow();
            assertEquals(new MsixCapability(3, 0, 5, 3, 0x2000), m);
            assertFalse(s.rom().present());
        }

        @Test
        void x710VfCreatesAFunctionWithItsOwnConfigBytes() throws Exception {
            SystemBus bus = new SystemBus();
            PciFunction f = SysfsPciSpec.load(fixture("x710-vf")).create(bus);
            assertEquals(0x154C, f.deviceId());
            assertEquals(0x70, f.msixCapabilityOffset().getAsInt());
            assertTrue(f.isPcie());
            assertTrue(f.flrCapable());
            assertEquals(List.of(0x0E), f.config().extendedCapabilities().stream()
                    .map(PciConfigSpace.Capability::id).collect(Collectors.toList()));
            assertFalse(f.memoryEnabled(), "the VF's command register was 0");
            assertEquals(0xFFFF_FFFFL, f.barRead(3, 0, 4));
            f.pciEnableDevice();
            assertEquals(1, f.barRead(3, 12, 4), "MSI-X entry 0 masked");
            long reg = f.configRead(0x1C, 4) | (f.configRead(0x20, 4) << 32);
            assertEquals(f.pciResourceStart(3) | 0xC, reg, "BAR3 reprogrammed to the bus address");
        }

        @Test
        void rtxVga() throws Exception {
            PciFunctionSpec s = SysfsPciSpec.load(fixture("rtx-vga"));
            assertFalse(s.virtfn());
            assertTrue(s.msix().isEmpty());
            assertTrue(s.bar(5).isIo());
            assertEquals(128, s.bar(5).size());
            assertEquals(256L << 20, s.bar(1).size());
            assertTrue(s.bar(2).isEmpty());
            assertEquals(16L << 20, s.bar(0).size());
            assertFalse(s.bar(0).isMem64());
            PciFunction f = s.create(new SystemBus());
            assertTrue(f.isVga());
            assertEquals(512 << 10, f.romSize());
            assertEquals(0xAA55, f.romRead(0, 2));
            assertEquals(0xFF, f.romRead(2048, 1));
            assertFalse(f.busMasterEnabled());
            assertTrue(f.memoryEnabled() && f.ioEnabled());
            assertEquals(List.of(0x02, 0x04), f.config().extendedCapabilities().stream()
                    .map(PciConfigSpace.Capability::id).collect(Collectors.toList()));
        }

        @Test
        void legacyNicWithSevenLines() throws Exception {
            PciFunction f = SysfsPciSpec.load(fixture("legacy-nic")).create(new SystemBus());
            assertEquals(256, f.cfgSize());
            assertFalse(f.isPcie());
            assertTrue(f.isIoBar(0));
            assertEquals(256, f.pciResourceLen(0));
            assertEquals(0x100, f.pciResourceLen(1));
            assertEquals(0x0004_0200L, f.pciResourceFlags(1));
            assertFalse(f.hasRom());
            f.barWrite(0, 4, 2, 0x1234);
            assertEquals(0x1234, f.barRead(0, 4, 2));
        }
    }

    @Nested
    class BadInput {
        @TempDir
        Path tmp;

        Path copy(String name) throws IOException {
            Path d = tmp.resolve(name);
            Files.createDirectories(d);
            try (Stream<Path> files = Files.list(fixture(name))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.copy(p, d.resolve(p.getFileName()));
                }
            }
            return d;
        }

        void setLine(Path d, int line, String text) throws IOException {
            List<String> lines = new ArrayList<>(Files.readAllLines(d.resolve("resource")));
            lines.set(line - 1, text);
            Files.write(d.resolve("resource"), lines, StandardCharsets.US_ASCII);
        }

        void patchConfig(Path d, int offset, int... bytes) throws IOException {
            byte[] c = Files.readAllBytes(d.resolve("config"));
            for (int i = 0; i < bytes.length; i++) {
                c[offset + i] = (byte) bytes[i];
            }
            Files.write(d.resolve("config"), c);
        }

        String fails(Path d) {
            SysfsFormatException e = assertThrows(SysfsFormatException.class, () -> SysfsPciSpec.load(d));
            assertFalse(e.getMessage().contains("\n"), "one line");
            return e.getMessage();
        }

        @Test
        void missingResource() throws IOException {
            Path d = copy("x710-vf");
            Files.delete(d.resolve("resource"));
            assertEquals("resource: no such file in " + d, fails(d));
        }

        @Test
        void missingConfig() throws IOException {
            Path d = copy("x710-vf");
            Files.delete(d.resolve("config"));
            assertEquals("config: no such file in " + d, fails(d));
        }

        @Test
        void twoFields() throws IOException {
            Path d = copy("x710-vf");
            setLine(d, 3, "0x0000000000000000 0x0000000000000000");
            assertEquals("resource:3: expected three hex fields", fails(d));
        }

        @Test
        void notHex() throws IOException {
            Path d = copy("x710-vf");
            setLine(d, 2, "0x0 0xZZ 0x0");
            assertEquals("resource:2: expected three hex fields", fails(d));
            setLine(d, 2, "0 0 0");
            assertEquals("resource:2: expected three hex fields", fails(d));
        }

        @Test
        void tooFewLines() throws IOException {
            Path d = copy("legacy-nic");
            List<String> lines = Files.readAllLines(d.resolve("resource"));
            Files.write(d.resolve("resource"), lines.subList(0, 5));
            assertEquals("resource: 5 lines, expected at least 7 (BAR0-5 and the ROM)", fails(d));
        }

        @Test
        void sizeNotAPowerOfTwo() throws IOException {
            Path d = copy("x710-vf");
            setLine(d, 4, "0x000000387fff0000 0x000000387fff2fff 0x000000000014220c");
            assertEquals("resource:4: size 0x3000 is not a power of two", fails(d));
        }

        @Test
        void aBinaryResourceFileIsNamedAsSuch() throws IOException {
            Path d = copy("x710-vf");
            Files.copy(d.resolve("config"), d.resolve("resource"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals("resource: binary data (byte 0x86 at offset 0), not the text lines "
                    + "'0xSTART 0xEND 0xFLAGS' sysfs writes; was a resourceN or config file copied "
                    + "in its place?", fails(d));
        }

        @Test
        void aHugeFileIsNotRead() throws IOException {
            Path d = copy("x710-vf");
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(d.resolve("config").toFile(), "rw")) {
                f.setLength(1L << 40);
            }
            assertEquals("config: 1099511627776 bytes, more than the 4096 a config file can hold",
                    fails(d));
        }

        @Test
        void aResourceSpanningAllOfTheAddressSpace() throws IOException {
            Path d = copy("x710-vf");
            setLine(d, 4, "0x0000000000000000 0xffffffffffffffff 0x000000000014220c");
            assertEquals("resource:4: start 0x0 to end 0xffffffffffffffff spans all 2^64 bytes of "
                    + "the address space; no BAR is that large", fails(d));
        }

        @Test
        void endBeforeStart() throws IOException {
            Path d = copy("legacy-nic");
            setLine(d, 2, "0x00000000febf1000 0x00000000febf0fff 0x0000000000040200");
            assertEquals("resource:2: end 0xfebf0fff lies before start 0xfebf1000", fails(d));
        }

        @Test
        void upperHalfInUse() throws IOException {
            Path d = copy("x710-vf");
            setLine(d, 2, "0x00000000fe000000 0x00000000fe000fff 0x0000000000040200");
            assertEquals("resource:2: BAR1 must be empty: it is the upper half of 64-bit BAR0", fails(d));
        }

        @Test
        void flagsNeitherIoNorMemory() throws IOException {
            Path d = copy("legacy-nic");
            setLine(d, 2, "0x00000000febf1000 0x00000000febf10ff 0x0000000000040000");
            assertEquals("resource:2: flags 0x40000 are neither I/O nor memory", fails(d));
        }

        @Test
        void sixtyFourBitBar5() throws IOException {
            Path d = copy("rtx-vga");
            setLine(d, 6, "0x000000e020000000 0x000000e020000fff 0x000000000014220c");
            assertEquals("resource:6: 64-bit BAR5 has no upper half", fails(d));
        }

        @Test
        void ioBarTooLarge() throws IOException {
            Path d = copy("legacy-nic");
            setLine(d, 1, "0x000000000000d000 0x000000000000d1ff 0x0000000000040101");
            assertEquals("resource:1: I/O BAR0 must be 4..256 bytes and not prefetchable: 0x200", fails(d));
        }

        @Test
        void romSizeNotAPowerOfTwo() throws IOException {
            Path d = copy("rtx-vga");
            setLine(d, 7, "0x00000000fc000000 0x00000000fc05ffff 0x0000000000046200");
            assertEquals("resource:7: size 0x60000 is not a power of two", fails(d));
        }

        @Test
        void truncatedConfig() throws IOException {
            Path d = copy("x710-vf");
            byte[] c = Files.readAllBytes(d.resolve("config"));
            Files.write(d.resolve("config"), java.util.Arrays.copyOf(c, 64));
            assertEquals("config: 64 bytes, expected 256 or 4096 (an unprivileged read returns only 64)", fails(d));
        }

        @Test
        void absentFunction() throws IOException {
            Path d = copy("legacy-nic");
            patchConfig(d, 0, 0xFF, 0xFF);
            assertEquals("config:0x0: vendor ID 0xffff: no function answered", fails(d));
        }

        @Test
        void bridgeHeader() throws IOException {
            Path d = copy("legacy-nic");
            patchConfig(d, 0x0E, 0x01);
            assertEquals("config:0xe: header type 1 is not a type-0 (endpoint) header", fails(d));
        }

        @Test
        void barRegisterDisagreesWithResource() throws IOException {
            Path d = copy("x710-vf");
            patchConfig(d, 0x10, 0x08);
            assertEquals("config:0x10: BAR0 register says 32-bit but resource line 1 says 64-bit", fails(d));
            patchConfig(d, 0x10, 0x01);
            assertEquals("config:0x10: BAR0 register says I/O but resource line 1 says memory", fails(d));
        }

        @Test
        void msixTableBirNamesAMissingBar() throws IOException {
            Path d = copy("x710-vf");
            patchConfig(d, 0x74, 0x02);
            assertEquals("config:0x74: MSI-X table BIR 2 names BAR2, which resource leaves unimplemented",
                    fails(d));
        }

        @Test
        void msixPbaBirOutOfRange() throws IOException {
            Path d = copy("x710-vf");
            patchConfig(d, 0x78, 0x07);
            assertEquals("config:0x78: MSI-X PBA BIR 7 is not a BAR (0-5)", fails(d));
        }

        @Test
        void msixTableInAnIoBar() throws IOException {
            Path d = copy("rtx-vga");
            patchConfig(d, 0xB5, 0xC0);
            patchConfig(d, 0xC0, 0x11, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x05, 0x08, 0x00, 0x00);
            assertEquals("config:0xc4: MSI-X table BIR 5 names BAR5, which resource says is I/O", fails(d));
        }

        @Test
        void capabilityPointerTooLow() throws IOException {
            Path d = copy("legacy-nic");
            patchConfig(d, 0x34, 0x20);
            assertEquals("config:0x34: capability pointer 0x20 below 0x40", fails(d));
        }

        @Test
        void cyclicCapabilityList() throws IOException {
            Path d = copy("legacy-nic");
            patchConfig(d, 0x51, 0x50);
            assertEquals("config:0x51: capability list does not end", fails(d));
        }

        @Test
        void romImageWithoutRom() throws IOException {
            Path d = copy("legacy-nic");
            Files.write(d.resolve("rom"), new byte[512]);
            assertEquals("rom: image present but resource line 7 has no ROM", fails(d));
        }

        @Test
        void romImageLargerThanTheRom() throws IOException {
            Path d = copy("rtx-vga");
            Files.write(d.resolve("rom"), new byte[1 << 20]);
            assertEquals("rom: image of 0x100000 bytes larger than the ROM (0x80000)", fails(d));
        }

        @Test
        void laterLinesAreIgnored() throws Exception {
            Path d = copy("x710-vf");
            setLine(d, 9, "whatever the kernel prints for SR-IOV or bridge windows");
            assertEquals(0x10000, SysfsPciSpec.load(d).bar(0).size());
        }
    }
}
