package vfiowb.common.hw;

import java.util.EnumSet;
import java.util.Set;
import vfiowb.common.Models;

/**
 * The {@code IORESOURCE_*} bits of {@code struct resource.flags} that PCI resources carry and
 * that sysfs prints in {@code /sys/bus/pci/devices/BDF/resource}.
 *
 * <p>The low byte is bus specific: for a BAR the PCI core copies the BAR register's low type
 * bits into it ({@code 0x1} for I/O, {@code 0x4}/{@code 0x8} for 64-bit/prefetchable memory);
 * for the ROM resource bit 0 is {@code IORESOURCE_ROM_ENABLE} and bit 1
 * {@code IORESOURCE_ROM_SHADOW}. Only the latter two are named here.
 */
@Models("include/linux/ioport.h:IORESOURCE_IO")
public enum IoResource {
    ROM_ENABLE(0x1),
    ROM_SHADOW(0x2),
    PCI_FIXED(0x10),
    IO(0x100),
    MEM(0x200),
    PREFETCH(0x2000),
    READONLY(0x4000),
    SIZEALIGN(0x40000),
    MEM_64(0x100000);

    private final long bit;

    IoResource(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }

    /** Whether {@code flags} has this bit. */
    public boolean in(long flags) {
        return (flags & bit) != 0;
    }

    /** The OR of the given bits. */
    public static long of(IoResource... bits) {
        long f = 0;
        for (IoResource b : bits) {
            f |= b.bit;
        }
        return f;
    }

    /** The named bits present in {@code flags}. */
    public static Set<IoResource> decode(long flags) {
        EnumSet<IoResource> s = EnumSet.noneOf(IoResource.class);
        for (IoResource b : values()) {
            if (b.in(flags)) {
                s.add(b);
            }
        }
        return s;
    }
}
