package vfiowb.common.hw;

import java.nio.charset.StandardCharsets;

/**
 * Builds the 8 KiB ACPI OpRegion an Intel integrated GPU's firmware publishes (its physical
 * address is in the GPU's ASLS config register at 0xFC): the "IntelGraphicsMem" header with
 * its size in KiB and version 2.0, three mailboxes, and a Video BIOS Table ("$VBT") in
 * mailbox 4. Contents beyond the header fields vfio-pci and QEMU check are invented.
 */
public final class OpRegion {
    private static final int SIZE = 8192;
    private static final int VBT_OFFSET = 0x400;

    private OpRegion() {}

    /** The OpRegion size vfio-pci maps ({@code OPREGION_SIZE}, 8 KiB). */
    public static int size() {
        return SIZE;
    }

    /** The 16-byte signature at offset 0. */
    public static String signature() {
        return "IntelGraphicsMem";
    }

    /** An OpRegion whose VBT names {@code platform} (up to 15 ASCII characters). */
    public static byte[] build(String platform) {
        byte[] r = new byte[SIZE];
        put(r, 0, signature());
        putLe32(r, 0x10, SIZE / 1024);
        r[0x16] = 0;
        r[0x17] = 2;
        put(r, 0x18, "WORKBENCH BIOS 1.0");
        putLe32(r, 0x58, 0x7);
        String sig = "$VBT " + platform;
        put(r, VBT_OFFSET, sig.length() > 20 ? sig.substring(0, 20) : sig);
        putLe16(r, VBT_OFFSET + 0x14, 100);
        putLe16(r, VBT_OFFSET + 0x16, 0x30);
        putLe16(r, VBT_OFFSET + 0x18, 0x200);
        putLe32(r, VBT_OFFSET + 0x1C, 0x30);
        put(r, VBT_OFFSET + 0x30, "BIOS_DATA_BLOCK ");
        return r;
    }

    private static void put(byte[] r, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, r, at, b.length);
    }

    private static void putLe16(byte[] r, int at, int v) {
        r[at] = (byte) v;
        r[at + 1] = (byte) (v >> 8);
    }

    private static void putLe32(byte[] r, int at, int v) {
        putLe16(r, at, v);
        putLe16(r, at + 2, v >> 16);
    }
}
