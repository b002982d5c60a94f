package vfiowb.common.hw;

import java.nio.charset.StandardCharsets;

/**
 * Builds a 128-byte EDID 1.4 base block for an emulated display (mbochs, kvmgt): fixed header,
 * a made-up manufacturer "WBV", one detailed timing for the preferred mode at 60 Hz with
 * reduced blanking, a monitor name, no extensions, and a valid checksum.
 */
public final class Edid {
    private static final int SIZE = 128;
    private static final int HBLANK = 160;
    private static final int VBLANK = 35;

    private Edid() {}

    /** An EDID whose preferred mode is {@code width} x {@code height} (1..4095 each). */
    public static byte[] forMode(int width, int height) {
        if (width < 1 || width > 4095 || height < 1 || height > 4095) {
            throw new IllegalArgumentException("EDID modes are 12-bit: " + width + "x" + height);
        }
        byte[] e = new byte[SIZE];
        e[0] = 0;
        for (int i = 1; i < 7; i++) {
            e[i] = (byte) 0xFF;
        }
        int mfg = (('W' - 'A' + 1) << 10) | (('B' - 'A' + 1) << 5) | ('V' - 'A' + 1);
        e[8] = (byte) (mfg >> 8);
        e[9] = (byte) mfg;
        e[10] = 0x01;
        e[16] = 1;
        e[17] = (byte) (2026 - 1990);
        e[18] = 1;
        e[19] = 4;
        e[20] = (byte) 0xA5;
        e[21] = 52;
        e[22] = 29;
        e[23] = 120;
        e[24] = 0x06;
        for (int i = 38; i < 54; i++) {
            e[i] = 0x01;
        }
        detailedTiming(e, 54, width, height);
        textDescriptor(e, 72, 0xFC, "WORKBENCH");
        textDescriptor(e, 90, 0xFE, "vfio model");
        e[108 + 3] = 0x10;
        e[126] = 0;
        int sum = 0;
        for (int i = 0; i < 127; i++) {
            sum += e[i] & 0xFF;
        }
        e[127] = (byte) (-sum);
        return e;
    }

    /** Whether {@code blob} is an EDID base block: header bytes and checksum. */
    public static boolean isValid(byte[] blob) {
        if (blob.length < SIZE || blob[0] != 0 || blob[7] != 0) {
            return false;
        }
        for (int i = 1; i < 7; i++) {
            if (blob[i] != (byte) 0xFF) {
                return false;
            }
        }
        int sum = 0;
        for (int i = 0; i < SIZE; i++) {
            sum += blob[i] & 0xFF;
        }
        return (sum & 0xFF) == 0;
    }

    private static void detailedTiming(byte[] e, int at, int w, int h) {
        long clock10k = ((long) (w + HBLANK) * (h + VBLANK) * 60 + 5000) / 10000;
        e[at] = (byte) clock10k;
        e[at + 1] = (byte) (clock10k >> 8);
        e[at + 2] = (byte) w;
        e[at + 3] = (byte) HBLANK;
        e[at + 4] = (byte) (((w >> 8) << 4) | (HBLANK >> 8));
        e[at + 5] = (byte) h;
        e[at + 6] = (byte) VBLANK;
        e[at + 7] = (byte) (((h >> 8) << 4) | (VBLANK >> 8));
        e[at + 8] = 48;
        e[at + 9] = 32;
        e[at + 10] = (byte) ((3 << 4) | 6);
        e[at + 11] = 0;
        e[at + 12] = (byte) 0x08;
        e[at + 13] = (byte) 0x22;
        e[at + 14] = 0x12;
        e[at + 17] = 0x1A;
    }

    private static void textDescriptor(byte[] e, int at, int tag, String text) {
        e[at + 3] = (byte) tag;
        byte[] t = new byte[13];
        java.util.Arrays.fill(t, (byte) ' ');
        byte[] s = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, t, 0, Math.min(12, s.length));
        if (s.length < 13) {
            t[s.length] = '\n';
        }
        System.arraycopy(t, 0, e, at + 5, 13);
    }
}
