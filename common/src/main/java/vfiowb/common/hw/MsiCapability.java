package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * What a function's MSI capability (ID 0x05) says in its Message Control register: how many
 * vectors it can request (Multiple Message Capable, a power of two from 1 to 32), whether the
 * message address is 64-bit and whether it has per-vector masking. vfio-pci reports
 * {@code 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1)} as the MSI index's count.
 */
@Models("include/uapi/linux/pci_regs.h:PCI_MSI_FLAGS")
public record MsiCapability(int vectors, boolean addr64, boolean perVectorMask) {
    private static final int FLAGS_64BIT = 0x0080;
    private static final int FLAGS_MASKBIT = 0x0100;

    public MsiCapability {
        if (vectors < 1 || vectors > 32 || Integer.bitCount(vectors) != 1) {
            throw new IllegalArgumentException("MSI vectors must be a power of two 1..32: " + vectors);
        }
    }

    /** Decodes a Message Control register as read from config space. */
    public static MsiCapability ofFlags(int flags) {
        int mmc = (flags >> 1) & 7;
        if (mmc > 5) {
            throw new IllegalArgumentException(String.format(
                    "MSI Multiple Message Capable 0x%x is reserved (more than 32 vectors)", mmc));
        }
        return new MsiCapability(1 << mmc, (flags & FLAGS_64BIT) != 0, (flags & FLAGS_MASKBIT) != 0);
    }

    /** The Message Control register at reset: capability bits only, MSI disabled. */
    public int flags() {
        return (Integer.numberOfTrailingZeros(vectors) << 1) | (addr64 ? FLAGS_64BIT : 0)
                | (perVectorMask ? FLAGS_MASKBIT : 0);
    }

    /** Bytes of the capability: 10 (32-bit), 14 (64-bit), plus mask and pending with masking. */
    public int length() {
        int base = addr64 ? 14 : 10;
        return perVectorMask ? base + 10 : base;
    }
}
