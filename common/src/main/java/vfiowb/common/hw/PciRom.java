package vfiowb.common.hw;

import java.util.Arrays;
import vfiowb.common.Models;

/**
 * A function's expansion ROM: either a ROM BAR ({@code size} a power of two, at least 2 KiB)
 * holding an image that may be shorter than the BAR, or the legacy shadow copy of a boot VGA
 * device's video BIOS at 0xC0000 ({@code size} 0x20000, {@code IORESOURCE_ROM_SHADOW}).
 * Bytes past the image read 0xFF, as an erased flash does.
 */
@Models("drivers/pci/rom.c:pci_map_rom")
public record PciRom(long size, byte[] image, boolean shadow, long start) {
    private static final long SHADOW_START = 0xC0000L;
    private static final long SHADOW_SIZE = 0x20000L;

    public PciRom {
        image = image == null ? new byte[0] : image.clone();
        if (size < 0 || (size != 0 && (Long.bitCount(size) != 1 || size < 0x800))) {
            throw new IllegalArgumentException(String.format(
                    "ROM size 0x%x must be 0 or a power of two of at least 2 KiB", size));
        }
        if (image.length > size) {
            throw new IllegalArgumentException(String.format(
                    "ROM image of 0x%x bytes larger than the ROM BAR 0x%x", image.length, size));
        }
        if (shadow && (size != SHADOW_SIZE || start != SHADOW_START)) {
            throw new IllegalArgumentException("a shadow ROM is 0x20000 bytes at 0xC0000");
        }
        if (size == 0 && start != 0) {
            throw new IllegalArgumentException("absent ROM with an address");
        }
    }

    /** No ROM at all. */
    public static PciRom none() {
        return new PciRom(0, null, false, 0);
    }

    /** A ROM BAR of {@code size} bytes holding {@code image} (not yet placed). */
    public static PciRom bar(long size, byte[] image) {
        return new PciRom(size, image, false, 0);
    }

    /** The shadow copy of a boot VGA BIOS, {@code image} at its start. */
    public static PciRom shadow(byte[] image) {
        return new PciRom(SHADOW_SIZE, image, true, SHADOW_START);
    }

    /** The same ROM at bus address {@code newStart}. */
    public PciRom withStart(long newStart) {
        return new PciRom(size, image, shadow, newStart);
    }

    public boolean present() {
        return size != 0;
    }

    @Override
    public byte[] image() {
        return image.clone();
    }

    public int imageLength() {
        return image.length;
    }

    /** Reads {@code width} bytes of the ROM, little-endian; past the image they are 0xFF. */
    public long read(long offset, int width) {
        if (offset < 0 || width < 1 || width > 8 || offset + width > size) {
            throw new IllegalArgumentException(String.format(
                    "ROM access 0x%x+%d outside 0x%x", offset, width, size));
        }
        long v = 0;
        for (int i = 0; i < width; i++) {
            long pos = offset + i;
            int b = pos < image.length ? image[(int) pos] & 0xFF : 0xFF;
            v |= (long) b << (8 * i);
        }
        return v;
    }

    /**
     * {@code pci_resource_flags(pdev, PCI_ROM_RESOURCE)}: MEM, PREFETCH, READONLY and SIZEALIGN
     * for a ROM BAR; MEM, PCI_FIXED and ROM_SHADOW for the shadow copy; 0 when absent.
     */
    public long flags() {
        if (!present()) {
            return 0;
        }
        if (shadow) {
            return IoResource.of(IoResource.MEM, IoResource.PCI_FIXED, IoResource.ROM_SHADOW);
        }
        return IoResource.of(IoResource.MEM, IoResource.PREFETCH, IoResource.READONLY,
                IoResource.SIZEALIGN);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PciRom)) {
            return false;
        }
        PciRom r = (PciRom) o;
        return size == r.size && shadow == r.shadow && start == r.start
                && Arrays.equals(image, r.image);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + Arrays.hashCode(image) + Long.hashCode(start);
    }

    @Override
    public String toString() {
        return String.format("PciRom[size=0x%x, image=%d bytes, shadow=%s, start=0x%x]",
                size, image.length, shadow, start);
    }
}
