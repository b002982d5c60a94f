package vfiowb.common.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.hw.SysfsFormatException;
import vfiowb.common.hw.SysfsPciSpec;

/**
 * Builds the recorded device the way {@code --sysfs DIR} does: the transcript's {@code device}
 * record is written out as a sysfs directory ({@code resource}, {@code config} and, when the
 * function has a ROM, {@code rom}) and read back with {@link SysfsPciSpec}, so the replay goes
 * through the project's own loader and binds to {@code vfio_pci_ops} as any imported function.
 *
 * <p>The ROM image was not recorded. The import writes one of the ROM resource's size whose
 * first bytes are what the kernel read at offset 0 ({@code rom_4@0}) and whose other bytes are
 * 0xff; only the signature matters to the kernel's decisions ({@code pci_map_rom} refuses an
 * image without 0x55 0xaa), the rest is the device's content and is never compared.
 */
public final class OracleImport {
    /** sysfs {@code resource} of a type-0 function: BAR0-5, ROM, then the SR-IOV and bridge lines. */
    private static final int RESOURCE_LINES = 13;
    private static final int ROM_LINE = 6;
    private static final long PAGE = 4096;

    private OracleImport() {}

    /** The spec of the recorded function, named after the transcript's device. */
    public static PciFunctionSpec spec(OracleTranscript t) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("vfiowb-oracle-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path dir = write(t, tmp);
            return SysfsPciSpec.load(dir);
        } catch (SysfsFormatException e) {
            throw new IllegalArgumentException(t.fileName() + ": the sysfs loader refused the device record: "
                    + e.getMessage(), e);
        } finally {
            delete(tmp);
        }
    }

    /** Writes {@code <parent>/<device>/{resource,config[,rom]}} and returns the directory. */
    static Path write(OracleTranscript t, Path parent) {
        OracleRecord dev = t.single("device");
        Path dir = parent.resolve(t.device());
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("resource"), resourceFile(dev), StandardCharsets.US_ASCII);
            Files.write(dir.resolve("config"), config(dev));
            byte[] rom = romImage(t, dev);
            if (rom != null) {
                Files.write(dir.resolve("rom"), rom);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The {@code resource} file as the kernel prints it: {@code 0x%016llx} start, end, flags. */
    static String resourceFile(OracleRecord dev) {
        List<OracleRecord> lines = dev.objects("resource");
        if (lines.size() != RESOURCE_LINES) {
            throw dev.bad("resource", lines.size() + " lines, expected " + RESOURCE_LINES);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            OracleRecord l = lines.get(i);
            if (l.integer("line") != i) {
                throw dev.bad("resource", "line " + l.integer("line") + " at position " + i);
            }
            long start = l.hex("start");
            long end = l.hex("end");
            long flags = l.hex("flags");
            long size = l.hex("size");
            String kind = l.string("kind");
            if (!kind.equals("none") && end - start + 1 != size) {
                throw dev.bad("resource", "line " + i + ": size " + Long.toHexString(size)
                        + " is not end - start + 1");
            }
            if (i <= ROM_LINE && kind.equals("mem") && size < PAGE && (start & (PAGE - 1)) != 0) {
                // The model's bus places a sub-page BAR page aligned (the loader keeps no
                // addresses); the kernel's mmap decision for one that is not would be lost.
                throw dev.bad("resource", "line " + i + ": sub-page BAR at 0x" + Long.toHexString(start)
                        + " is not page aligned, which the import cannot reproduce");
            }
            sb.append(String.format("0x%016x 0x%016x 0x%016x%n", start, end, flags));
        }
        return sb.toString();
    }

    /** The config bytes sysfs gave; only 256-byte (conventional PCI) functions were recorded whole. */
    static byte[] config(OracleRecord dev) {
        byte[] cfg = dev.bytes("sysfs_config256");
        if (cfg.length != 256) {
            throw dev.bad("sysfs_config256", cfg.length + " bytes, expected 256");
        }
        if (dev.integer("sysfs_config_len") != 256) {
            throw dev.bad("sysfs_config_len", dev.integer("sysfs_config_len")
                    + ": only the first 256 bytes were recorded, the extended capabilities are lost");
        }
        return cfg;
    }

    /** A ROM image for the ROM resource, or null without one. */
    static byte[] romImage(OracleTranscript t, OracleRecord dev) {
        OracleRecord line = dev.objects("resource").get(ROM_LINE);
        if (!line.string("kind").equals("mem")) {
            return null;
        }
        long size = line.hex("size");
        OracleRecord rom = t.pread("rom_4@0").orElseThrow(() -> dev.bad("resource",
                "has a ROM but the transcript has no rom_4@0 read to take its first bytes from"));
        if (rom.errno() != 0) {
            throw rom.bad("errno", "the ROM read failed; no signature to write into the image");
        }
        byte[] head = rom.bytes("data");
        if (size > Integer.MAX_VALUE || head.length > size) {
            throw dev.bad("resource", "ROM of 0x" + Long.toHexString(size) + " bytes");
        }
        byte[] image = new byte[(int) size];
        Arrays.fill(image, (byte) 0xff);
        System.arraycopy(head, 0, image, 0, head.length);
        return image;
    }

    private static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
