package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * One of a function's six base address registers as the PCI core sees it after enumeration:
 * {@code pdev->resource[index]}.
 *
 * <p>Sizes are powers of two (memory at least 16 bytes, I/O 4 to 256 bytes) or 0 for an
 * unimplemented BAR; a 64-bit BAR consumes the next index, which then reads as {@link Kind#NONE}
 * with size 0 (the "upper half"). {@code start} is the assigned bus address, naturally aligned;
 * 0 in a {@link PciFunctionSpec} means "not yet placed".
 */
@Models("include/linux/pci.h:struct pci_dev")
public record PciBar(int index, Kind kind, long size, boolean prefetchable, long start) {

    /** What the BAR decodes. */
    public enum Kind { NONE, MEM32, MEM64, IO }

    public PciBar {
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("BAR index must be 0..5: " + index);
        }
        if (kind == null) {
            throw new IllegalArgumentException("BAR kind missing");
        }
        if (kind == Kind.NONE) {
            if (size != 0 || start != 0 || prefetchable) {
                throw new IllegalArgumentException("unimplemented BAR" + index + " has no size, address or flags");
            }
        } else {
            if (size <= 0 || Long.bitCount(size) != 1) {
                throw new IllegalArgumentException(String.format(
                        "BAR%d size 0x%x is not a power of two", index, size));
            }
            if (kind == Kind.IO && (size < 4 || size > 256 || prefetchable)) {
                throw new IllegalArgumentException(String.format(
                        "I/O BAR%d must be 4..256 bytes and not prefetchable: 0x%x", index, size));
            }
            if (kind != Kind.IO && size < 16) {
                throw new IllegalArgumentException(String.format(
                        "memory BAR%d smaller than 16 bytes: 0x%x", index, size));
            }
            if (kind == Kind.MEM32 && size > 0x8000_0000L) {
                throw new IllegalArgumentException(String.format(
                        "32-bit BAR%d larger than 2 GiB: 0x%x", index, size));
            }
            if (kind == Kind.MEM64 && index == 5) {
                throw new IllegalArgumentException("64-bit BAR5 has no register for its upper half");
            }
            if ((start & (size - 1)) != 0) {
                throw new IllegalArgumentException(String.format(
                        "BAR%d start 0x%x not aligned to its size 0x%x", index, start, size));
            }
        }
    }

    public static PciBar none(int index) {
        return new PciBar(index, Kind.NONE, 0, false, 0);
    }

    public static PciBar mem32(int index, long size, boolean prefetchable) {
        return new PciBar(index, Kind.MEM32, size, prefetchable, 0);
    }

    public static PciBar mem64(int index, long size, boolean prefetchable) {
        return new PciBar(index, Kind.MEM64, size, prefetchable, 0);
    }

    public static PciBar io(int index, long size) {
        return new PciBar(index, Kind.IO, size, false, 0);
    }

    /** The same BAR placed at {@code newStart}. */
    public PciBar withStart(long newStart) {
        return new PciBar(index, kind, size, prefetchable, newStart);
    }

    public boolean isEmpty() {
        return kind == Kind.NONE;
    }

    public boolean isIo() {
        return kind == Kind.IO;
    }

    public boolean isMem() {
        return kind == Kind.MEM32 || kind == Kind.MEM64;
    }

    public boolean isMem64() {
        return kind == Kind.MEM64;
    }

    /** {@code pci_resource_end}: last byte decoded, 0 when unimplemented. */
    public long end() {
        return isEmpty() ? 0 : start + size - 1;
    }

    /**
     * The read-only low bits of the BAR register: bit 0 for I/O, bits 2:1 = 10b for 64-bit
     * memory, bit 3 for prefetchable memory.
     */
    public int registerTypeBits() {
        switch (kind) {
            case IO:
                return 0x1;
            case MEM32:
                return prefetchable ? 0x8 : 0x0;
            case MEM64:
                return 0x4 | (prefetchable ? 0x8 : 0x0);
            default:
                return 0;
        }
    }

    /**
     * {@code pci_resource_flags}: {@code IORESOURCE_IO} or {@code IORESOURCE_MEM} with
     * {@code SIZEALIGN}, {@code PREFETCH}, {@code MEM_64} and the register's type bits, as
     * {@code __pci_read_base} builds them (0 for an unimplemented BAR).
     */
    public long flags() {
        if (isEmpty()) {
            return 0;
        }
        long f = IoResource.SIZEALIGN.bit() | registerTypeBits();
        if (isIo()) {
            return f | IoResource.IO.bit();
        }
        f |= IoResource.MEM.bit();
        if (prefetchable) {
            f |= IoResource.PREFETCH.bit();
        }
        if (isMem64()) {
            f |= IoResource.MEM_64.bit();
        }
        return f;
    }
}
