package vfiowb.common.hw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds a vfio-pci {@link PciFunctionSpec} from a copy of a Linux PCI device directory
 * ({@code /sys/bus/pci/devices/DDDD:BB:DD.F}):
 * <ul>
 * <li>{@code resource}: one line per resource, {@code "0x%016llx 0x%016llx 0x%016llx"} = start,
 *     end, flags; lines 1-6 are BAR0-5, line 7 the ROM, later lines (SR-IOV and bridge
 *     windows) are ignored; an unused resource is all zeros; size = end - start + 1.</li>
 * <li>{@code config}: the binary configuration space, 256 or 4096 bytes (the whole of it, as
 *     root reads it): IDs, class, command register and capability list, from which the MSI-X,
 *     MSI and Power Management capabilities are taken.</li>
 * <li>optionally {@code rom}: the ROM image; optionally {@code physfn}: present for a VF.</li>
 * </ul>
 * The function is named after the directory. The bus assigns new addresses when the spec is
 * created; the sysfs start addresses only serve to compute sizes.
 *
 * <p>Where the function sits ({@link BusPlacement}, which decides whether a bus reset is
 * possible) is not in these files. It is guessed from the directory name when that is a
 * {@code DDDD:BB:DD.F} address: bus 00 is taken for a root bus (as on q35 and most x86 hosts'
 * first host bridge); any other bus for the secondary bus of a bridge or root port, alone there
 * unless the header type says multi-function; a VF shares its PF's bus. A directory named
 * otherwise is taken for a root bus, the placement without a bus reset.
 */
public final class SysfsPciSpec {
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]{1,16}");
    private static final String RESOURCE = "resource";
    private static final String CONFIG = "config";
    private static final String ROM = "rom";
    private static final int MSIX_ID = 0x11;
    private static final int MSI_ID = 0x05;
    private static final int PM_ID = 0x01;
    private static final Pattern BDF = Pattern.compile(
            "[0-9a-fA-F]{4}:([0-9a-fA-F]{2}):[0-1][0-9a-fA-F]\\.[0-7]");

    /** The capabilities found on the list, each the first of its ID. */
    private record Caps(MsixCapability msix, MsiCapability msi, PmCapability pm) {}

    private SysfsPciSpec() {}

    /** Reads {@code dir} and returns the spec, or says in one line what is wrong with it. */
    public static PciFunctionSpec load(Path dir) throws SysfsFormatException {
        PciBar[] bars = new PciBar[6];
        PciRom rom = parseResource(read(dir, RESOURCE), bars);
        byte[] cfg = readBytes(dir, CONFIG);
        if (cfg.length != 256 && cfg.length != 4096) {
            throw new SysfsFormatException(CONFIG, "", cfg.length
                    + " bytes, expected 256 or 4096 (an unprivileged read returns only 64)");
        }
        int vendor = le(cfg, 0x00, 2);
        if (vendor == 0xFFFF || vendor == 0) {
            throw new SysfsFormatException(CONFIG, "0x0", String.format(
                    "vendor ID 0x%04x: no function answered", vendor));
        }
        int header = cfg[0x0E] & 0x7F;
        if (header != 0) {
            throw new SysfsFormatException(CONFIG, "0xe", "header type " + header
                    + " is not a type-0 (endpoint) header");
        }
        checkBarRegisters(cfg, bars);
        Caps caps = walkCapabilities(cfg, bars);

        byte[] image = optionalBytes(dir, ROM);
        if (image != null) {
            if (!rom.present()) {
                throw new SysfsFormatException(ROM, "", "image present but resource line 7 has no ROM");
            }
            if (image.length > rom.size()) {
                throw new SysfsFormatException(ROM, "", String.format(
                        "image of 0x%x bytes larger than the ROM (0x%x)", image.length, rom.size()));
            }
            rom = rom.shadow() ? PciRom.shadow(image) : PciRom.bar(rom.size(), image);
        }

        String name = dir.getFileName().toString();
        int classCode = le(cfg, 0x08, 4) >>> 8;
        PciFunctionSpec.Builder b = PciFunctionSpec.builder(name)
                .description(String.format("from sysfs %s: %04x:%04x class %06x, config %d bytes", dir,
                        vendor, le(cfg, 0x02, 2), classCode, cfg.length))
                .ids(vendor, le(cfg, 0x02, 2))
                .subsystem(le(cfg, 0x2C, 2), le(cfg, 0x2E, 2))
                .classCode(classCode)
                .revision(cfg[0x08] & 0xFF)
                .configTemplate(cfg)
                .rom(rom);
        for (PciBar bar : bars) {
            if (!bar.isEmpty()) {
                b.bar(bar);
            }
        }
        if (caps.msix() != null) {
            b.msix(caps.msix());
        }
        if (caps.msi() != null) {
            b.msi(caps.msi());
        }
        if (caps.pm() != null) {
            b.pm(caps.pm());
        }
        boolean virtfn = Files.exists(dir.resolve("physfn"), LinkOption.NOFOLLOW_LINKS);
        if (virtfn) {
            b.virtfn();
        }
        b.placement(placement(name, virtfn, (cfg[0x0E] & 0x80) != 0));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new SysfsFormatException(CONFIG, "", e.getMessage());
        }
    }

    private static PciRom parseResource(List<String> lines, PciBar[] bars)
            throws SysfsFormatException {
        if (lines.size() < 7) {
            throw new SysfsFormatException(RESOURCE, "", lines.size()
                    + " lines, expected at least 7 (BAR0-5 and the ROM)");
        }
        for (int i = 0; i < 6; i++) {
            int line = i + 1;
            long[] f = fields(lines.get(i), line);
            if (i > 0 && bars[i - 1].isMem64()) {
                if (f[0] != 0 || f[1] != 0 || f[2] != 0) {
                    throw new SysfsFormatException(RESOURCE, String.valueOf(line), "BAR" + i
                            + " must be empty: it is the upper half of 64-bit BAR" + (i - 1));
                }
                bars[i] = PciBar.none(i);
                continue;
            }
            bars[i] = parseBar(i, line, f);
        }
        long[] r = fields(lines.get(6), 7);
        if (r[0] == 0 && r[1] == 0 && r[2] == 0) {
            return PciRom.none();
        }
        long size = size(r, 7);
        if (!IoResource.MEM.in(r[2])) {
            throw new SysfsFormatException(RESOURCE, "7", String.format(
                    "ROM flags 0x%x do not say memory", r[2]));
        }
        try {
            if (IoResource.ROM_SHADOW.in(r[2])) {
                if (size != 0x20000 || r[0] != 0xC0000) {
                    throw new SysfsFormatException(RESOURCE, "7", "a shadow ROM is 0x20000 bytes at 0xc0000");
                }
                return PciRom.shadow(null);
            }
            return PciRom.bar(size, null);
        } catch (IllegalArgumentException e) {
            throw new SysfsFormatException(RESOURCE, "7", e.getMessage());
        }
    }

    private static PciBar parseBar(int i, int line, long[] f) throws SysfsFormatException {
        String where = String.valueOf(line);
        if (f[0] == 0 && f[1] == 0 && f[2] == 0) {
            return PciBar.none(i);
        }
        long size = size(f, line);
        boolean io = IoResource.IO.in(f[2]);
        boolean mem = IoResource.MEM.in(f[2]);
        if (io == mem) {
            throw new SysfsFormatException(RESOURCE, where, String.format(
                    "flags 0x%x are neither I/O nor memory", f[2]));
        }
        boolean mem64 = IoResource.MEM_64.in(f[2]);
        if (io && mem64) {
            throw new SysfsFormatException(RESOURCE, where, "an I/O BAR cannot be 64-bit");
        }
        if (mem64 && i == 5) {
            throw new SysfsFormatException(RESOURCE, where, "64-bit BAR5 has no upper half");
        }
        try {
            if (io) {
                return PciBar.io(i, size);
            }
            boolean prefetch = IoResource.PREFETCH.in(f[2]);
            return mem64 ? PciBar.mem64(i, size, prefetch) : PciBar.mem32(i, size, prefetch);
        } catch (IllegalArgumentException e) {
            throw new SysfsFormatException(RESOURCE, where, e.getMessage());
        }
    }

    private static long size(long[] f, int line) throws SysfsFormatException {
        if (Long.compareUnsigned(f[1], f[0]) < 0) {
            throw new SysfsFormatException(RESOURCE, String.valueOf(line), String.format(
                    "end 0x%x lies before start 0x%x", f[1], f[0]));
        }
        long size = f[1] - f[0] + 1;
        if (size <= 0 || Long.bitCount(size) != 1) {
            throw new SysfsFormatException(RESOURCE, String.valueOf(line), String.format(
                    "size 0x%x is not a power of two", size));
        }
        return size;
    }

    private static long[] fields(String text, int line) throws SysfsFormatException {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 3) {
            throw new SysfsFormatException(RESOURCE, String.valueOf(line), "expected three hex fields");
        }
        long[] out = new long[3];
        for (int k = 0; k < 3; k++) {
            if (!HEX.matcher(parts[k]).matches()) {
                throw new SysfsFormatException(RESOURCE, String.valueOf(line), "expected three hex fields");
            }
            out[k] = Long.parseUnsignedLong(parts[k].substring(2), 16);
        }
        return out;
    }

    private static void checkBarRegisters(byte[] cfg, PciBar[] bars) throws SysfsFormatException {
        for (int i = 0; i < 6; i++) {
            if (bars[i].isEmpty()) {
                continue;
            }
            int reg = 0x10 + 4 * i;
            int v = le(cfg, reg, 4);
            boolean regIo = (v & 1) != 0;
            String where = "0x" + Integer.toHexString(reg);
            if (regIo != bars[i].isIo()) {
                throw new SysfsFormatException(CONFIG, where, String.format(
                        "BAR%d register says %s but resource line %d says %s", i, regIo ? "I/O" : "memory",
                        i + 1, bars[i].isIo() ? "I/O" : "memory"));
            }
            if (!regIo && (((v >> 1) & 3) == 2) != bars[i].isMem64()) {
                throw new SysfsFormatException(CONFIG, where, String.format(
                        "BAR%d register says %s but resource line %d says %s", i,
                        ((v >> 1) & 3) == 2 ? "64-bit" : "32-bit", i + 1, bars[i].isMem64() ? "64-bit" : "32-bit"));
            }
        }
    }

    private static BusPlacement placement(String name, boolean virtfn, boolean multifunction) {
        java.util.regex.Matcher m = BDF.matcher(name);
        if (virtfn) {
            return BusPlacement.SHARED_BUS;
        }
        if (!m.matches() || Integer.parseInt(m.group(1), 16) == 0) {
            return BusPlacement.ROOT_BUS;
        }
        return multifunction ? BusPlacement.SHARED_BUS : BusPlacement.ALONE_BEHIND_BRIDGE;
    }

    /**
     * Walks the standard capability list as {@code pci_find_capability} does, taking the first
     * MSI-X, MSI and PM capability; a list that points below 0x40 or does not end is refused.
     */
    private static Caps walkCapabilities(byte[] cfg, PciBar[] bars) throws SysfsFormatException {
        MsixCapability msix = null;
        MsiCapability msi = null;
        PmCapability pm = null;
        if ((le(cfg, 0x06, 2) & 0x10) == 0) {
            return new Caps(null, null, null);
        }
        int pointerAt = 0x34;
        int pos = cfg[pointerAt] & 0xFC;
        for (int hops = 0; pos != 0; hops++) {
            if (pos < 0x40) {
                throw new SysfsFormatException(CONFIG, hex(pointerAt), String.format(
                        "capability pointer 0x%x below 0x40", pos));
            }
            if (hops == 48) {
                throw new SysfsFormatException(CONFIG, hex(pointerAt), "capability list does not end");
            }
            int id = cfg[pos] & 0xFF;
            int need = id == MSIX_ID ? 12 : id == PM_ID ? 6 : 4;
            if (pos + need > 256) {
                throw new SysfsFormatException(CONFIG, hex(pos), String.format(
                        "capability 0x%02x at 0x%x runs past the 256-byte header", id, pos));
            }
            if (id == MSIX_ID && msix == null) {
                int entries = (le(cfg, pos + 2, 2) & 0x7FF) + 1;
                int table = le(cfg, pos + 4, 4);
                int pba = le(cfg, pos + 8, 4);
                checkBir(table & 7, "table", pos + 4, bars);
                checkBir(pba & 7, "PBA", pos + 8, bars);
                msix = new MsixCapability(table & 7, table & 0xFFFF_FFF8L, entries, pba & 7,
                        pba & 0xFFFF_FFF8L);
            } else if (id == MSI_ID && msi == null) {
                try {
                    msi = MsiCapability.ofFlags(le(cfg, pos + 2, 2));
                } catch (IllegalArgumentException e) {
                    throw new SysfsFormatException(CONFIG, hex(pos + 2), e.getMessage());
                }
            } else if (id == PM_ID && pm == null) {
                pm = PmCapability.ofPmcsr(le(cfg, pos + 4, 2));
            }
            pointerAt = pos + 1;
            pos = cfg[pointerAt] & 0xFC;
        }
        return new Caps(msix, msi, pm);
    }

    private static void checkBir(int bir, String what, int at, PciBar[] bars) throws SysfsFormatException {
        if (bir > 5) {
            throw new SysfsFormatException(CONFIG, hex(at), String.format(
                    "MSI-X %s BIR %d is not a BAR (0-5)", what, bir));
        }
        if (!bars[bir].isMem()) {
            throw new SysfsFormatException(CONFIG, hex(at), String.format(
                    "MSI-X %s BIR %d names BAR%d, which resource %s", what, bir, bir,
                    bars[bir].isIo() ? "says is I/O" : "leaves unimplemented"));
        }
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    private static int le(byte[] b, int at, int width) {
        int v = 0;
        for (int i = 0; i < width; i++) {
            v |= (b[at + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    private static List<String> read(Path dir, String file) throws SysfsFormatException {
        try {
            return Files.readAllLines(dir.resolve(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new SysfsFormatException(file, "", "no such file in " + dir);
        } catch (IOException e) {
            throw new SysfsFormatException(file, "", "unreadable: " + e.getMessage());
        }
    }

    private static byte[] readBytes(Path dir, String file) throws SysfsFormatException {
        try {
            return Files.readAllBytes(dir.resolve(file));
        } catch (NoSuchFileException e) {
            throw new SysfsFormatException(file, "", "no such file in " + dir);
        } catch (IOException e) {
            throw new SysfsFormatException(file, "", "unreadable: " + e.getMessage());
        }
    }

    private static byte[] optionalBytes(Path dir, String file) throws SysfsFormatException {
        return Files.exists(dir.resolve(file)) ? readBytes(dir, file) : null;
    }
}
