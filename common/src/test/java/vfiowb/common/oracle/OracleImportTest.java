package vfiowb.common.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.hw.MsixCapability;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunctionSpec;

class OracleImportTest {
    static List<String> devices() {
        return OracleTranscript.DEVICES;
    }

    /** The import keeps what the record says: IDs, every resource's kind and size, the ROM. */
    @ParameterizedTest
    @MethodSource("devices")
    void theSpecIsTheRecordedFunction(String device) {
        OracleTranscript t = OracleTranscript.load(device);
        OracleRecord dev = t.single("device");
        PciFunctionSpec spec = OracleImport.spec(t);
        assertEquals(device, spec.name());
        assertEquals("vfio_pci_ops", spec.opsTable());
        assertEquals(dev.hex("vendor"), spec.vendorId());
        assertEquals(dev.hex("device"), spec.deviceId());
        assertEquals(dev.hex("class"), spec.classCode());
        assertEquals(256, spec.cfgSize());
        List<OracleRecord> res = dev.objects("resource");
        for (int i = 0; i < 6; i++) {
            PciBar bar = spec.bar(i);
            OracleRecord line = res.get(i);
            assertEquals(line.hex("size"), bar.size(), device + " BAR" + i);
            assertEquals(line.string("kind").equals("io"), bar.isIo(), device + " BAR" + i);
            assertEquals((line.hex("flags") & 0x100000) != 0, bar.isMem64(), device + " BAR" + i);
            assertEquals((line.hex("flags") & 0x2000) != 0, bar.prefetchable(), device + " BAR" + i);
        }
        OracleRecord rom = res.get(6);
        assertEquals(rom.hex("size"), spec.rom().size(), device + " ROM");
        if (spec.rom().present()) {
            byte[] image = spec.rom().image();
            assertEquals(rom.hex("size"), image.length);
            byte[] head = t.pread("rom_4@0").orElseThrow().bytes("data");
            assertArrayEquals(head, Arrays.copyOf(image, head.length));
        }
    }

    @Test
    void virtioHasItsMsixTableInBar1AndNoOtherDeviceHasMsix() {
        for (OracleTranscript t : OracleTranscript.all()) {
            PciFunctionSpec spec = OracleImport.spec(t);
            if (t.device().equals("virtio-net-pci-transitional")) {
                assertEquals(new MsixCapability(1, 0, 4, 1, 0x800), spec.msix().orElseThrow());
            } else {
                assertFalse(spec.msix().isPresent(), t.device());
            }
        }
    }

    @Test
    void theResourceFileIsWhatTheKernelPrints() {
        OracleRecord dev = OracleTranscript.load("rtl8139").single("device");
        String[] lines = OracleImport.resourceFile(dev).split("\n");
        assertEquals(13, lines.length);
        assertEquals("0x000000000000c100 0x000000000000c1ff 0x0000000000040101", lines[0]);
        assertEquals("0x00000000feb1e000 0x00000000feb1e0ff 0x0000000000040200", lines[1]);
        assertEquals("0x0000000000000000 0x0000000000000000 0x0000000000000000", lines[2]);
        assertEquals("0x00000000fea80000 0x00000000feabffff 0x0000000000046200", lines[6]);
    }

    @Test
    void aSubPageBarOffItsPageIsRefused() throws IOException {
        List<String> lines = edited("rtl8139", "\"start\":\"0xfeb1e000\",\"end\":\"0xfeb1e0ff\"",
                "\"start\":\"0xfeb1e100\",\"end\":\"0xfeb1e1ff\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OracleImport.spec(OracleTranscript.of("rtl8139", lines)));
        assertTrue(e.getMessage().contains("line 1: sub-page BAR at 0xfeb1e100 is not page aligned"), e.getMessage());
    }

    @Test
    void aRomWithoutItsFirstBytesIsRefused() throws IOException {
        List<String> lines = edited("rtl8139", "\"case\":\"rom_4@0\"", "\"case\":\"rom_4@zero\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OracleImport.spec(OracleTranscript.of("rtl8139", lines)));
        assertTrue(e.getMessage().contains("has a ROM but the transcript has no rom_4@0 read"), e.getMessage());
    }

    @Test
    void aPciExpressConfigRecordedOnlyInPartIsRefused() throws IOException {
        List<String> lines = edited("pci-testdev", "\"sysfs_config_len\":256", "\"sysfs_config_len\":4096");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OracleImport.spec(OracleTranscript.of("pci-testdev", lines)));
        assertTrue(e.getMessage().contains("only the first 256 bytes were recorded"), e.getMessage());
    }

    @Test
    void whatTheLoaderRefusesIsReportedWithTheTranscript() throws IOException {
        String cfg = OracleTranscript.load("pci-testdev").single("device").string("sysfs_config256");
        byte[] b = HexFormat.of().parseHex(cfg);
        b[0x10] |= 1;
        List<String> lines = edited("pci-testdev", cfg, HexFormat.of().formatHex(b));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OracleImport.spec(OracleTranscript.of("pci-testdev", lines)));
        assertTrue(e.getMessage().startsWith("kernel-6.12-pci-testdev.jsonl: the sysfs loader refused the device record: "),
                e.getMessage());
    }

    private static List<String> edited(String device, String from, String to) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(OracleTranscript.class.getResourceAsStream(
                OracleTranscript.DIR + OracleTranscript.fileName(device)), StandardCharsets.UTF_8))) {
            List<String> lines = r.lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.contains(from)), from);
            return lines.stream().map(l -> l.replace(from, to)).toList();
        }
    }
}
