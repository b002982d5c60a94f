package vfiowb.common.mm;

import java.util.Locale;

/**
 * The architectures the model runs on: page size, huge page sizes, the width of
 * {@code unsigned long} (and so of {@code vm_pgoff}) and which huge pfnmap orders exist
 * (kernel-facts §I.1, §D.3).
 *
 * <p>i386 is modelled with PAE page tables (PMD 2 MiB); it has no huge pfnmap support
 * ({@code CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP} is x86_64 and arm64 only). arm64 64K's PUD size
 * depends on the VA size and is not used for mappings (no PUD pfnmap on arm64).
 *
 * <p>Each has a physical address width ({@link #physAddrBits}), the highest physical address
 * its kernel can describe: the device model's bus ({@code SystemBus}) lays its windows out below
 * it, so no device resource sits where the arch could not reach it.
 */
public enum Arch {
    X86_64("x86_64", 12, 21, 30, 64, true, true, 52),
    I386("i386", 12, 21, 30, 32, false, false, 44),
    ARM64_4K("arm64", 12, 21, 30, 64, true, false, 48),
    ARM64_64K("arm64-64k", 16, 29, 42, 64, true, false, 48);

    private final String cliName;
    private final int pageShift;
    private final int pmdShift;
    private final int pudShift;
    private final int longBits;
    private final boolean pmdPfnmap;
    private final boolean pudPfnmap;
    private final int physAddrBits;

    Arch(String cliName, int pageShift, int pmdShift, int pudShift, int longBits,
            boolean pmdPfnmap, boolean pudPfnmap, int physAddrBits) {
        this.cliName = cliName;
        this.pageShift = pageShift;
        this.pmdShift = pmdShift;
        this.pudShift = pudShift;
        this.longBits = longBits;
        this.pmdPfnmap = pmdPfnmap;
        this.pudPfnmap = pudPfnmap;
        this.physAddrBits = physAddrBits;
    }

    /** The name used on the command line and in reports ({@code x86_64}, {@code i386}, ...). */
    public String cliName() {
        return cliName;
    }

    public int pageShift() {
        return pageShift;
    }

    public long pageSize() {
        return 1L << pageShift;
    }

    public int pmdShift() {
        return pmdShift;
    }

    public long pmdSize() {
        return 1L << pmdShift;
    }

    public int pudShift() {
        return pudShift;
    }

    public long pudSize() {
        return 1L << pudShift;
    }

    /** {@code PMD_ORDER}: log2 of the pages a PMD entry maps. */
    public int pmdOrder() {
        return pmdShift - pageShift;
    }

    /** {@code PUD_ORDER}: log2 of the pages a PUD entry maps. */
    public int pudOrder() {
        return pudShift - pageShift;
    }

    /** {@code BITS_PER_LONG}: 32 on i386, else 64. */
    public int longBits() {
        return longBits;
    }

    public boolean is32Bit() {
        return longBits == 32;
    }

    /** {@code ULONG_MAX} as an unsigned value in a Java long. */
    public long ulongMax() {
        return longBits == 64 ? -1L : 0xFFFF_FFFFL;
    }

    /**
     * The width of a physical address the kernel can describe: x86_64's
     * {@code __PHYSICAL_MASK_SHIFT} (52, arch/x86/include/asm/page_64_types.h); i386 with PAE
     * 44 ({@code __PHYSICAL_MASK_SHIFT} in arch/x86/include/asm/page_32_types.h: 32 + 12, the
     * most an {@code unsigned long} PFN holds, so no PFN of this arch is ever truncated); arm64
     * 48 with either page size ({@code CONFIG_ARM64_PA_BITS}'s default; 52 needs
     * {@code ARM64_PA_BITS_52} and hardware with LPA or LPA2).
     */
    public int physAddrBits() {
        return physAddrBits;
    }

    /** {@code 1 << physAddrBits()}: the first physical address this arch cannot reach. */
    public long physAddrLimit() {
        return 1L << physAddrBits;
    }

    /** Whether a fault may install a PMD-level pfnmap entry ({@code vmf_insert_pfn_pmd}). */
    public boolean hugePmdPfnmap() {
        return pmdPfnmap;
    }

    /** Whether a fault may install a PUD-level pfnmap entry ({@code vmf_insert_pfn_pud}). */
    public boolean hugePudPfnmap() {
        return pudPfnmap;
    }

    /**
     * The largest size {@code get_unmapped_area} aligns a shared file mapping to: the largest
     * huge pfnmap size this arch supports, or the page size.
     */
    public long largestMappingAlignment() {
        if (pudPfnmap) {
            return pudSize();
        }
        if (pmdPfnmap) {
            return pmdSize();
        }
        return pageSize();
    }

    /**
     * {@code MAX_PAGE_ORDER}, the largest order the buddy allocator hands out
     * (include/linux/mmzone.h: {@code CONFIG_ARCH_FORCE_MAX_ORDER} where the arch sets one, else
     * 10). x86 sets none, so 10 on x86_64 and i386; arm64's {@code ARCH_FORCE_MAX_ORDER}
     * (arch/arm64/Kconfig) defaults to 13 with 64K pages and 10 with 4K pages.
     */
    public int maxPageOrder() {
        return this == ARM64_64K ? 13 : 10;
    }

    /**
     * {@code KMALLOC_MAX_SIZE} (include/linux/slab.h): {@code 1 << KMALLOC_SHIFT_MAX} with
     * {@code KMALLOC_SHIFT_MAX = MAX_PAGE_ORDER + PAGE_SHIFT}, one order-{@code MAX_PAGE_ORDER}
     * block of pages: 4 MiB with 4K pages, 512 MiB on arm64 with 64K pages. {@code kmalloc} of
     * more goes to the page allocator with an order past {@code MAX_PAGE_ORDER} and gets NULL.
     */
    public long kmallocMaxSize() {
        return 1L << (maxPageOrder() + pageShift);
    }

    /** {@code PAGE_ALIGN(x)} on unsigned 64-bit arithmetic (wraps like the C macro). */
    public long pageAlign(long x) {
        return (x + pageSize() - 1) & -pageSize();
    }

    public boolean isPageAligned(long x) {
        return (x & (pageSize() - 1)) == 0;
    }

    /**
     * Whether the CPU has x86's Page Attribute Table, and so the kernel's memory-type tracking
     * ({@link PatMemtype}) that overrides the cache mode of PFN inserts.
     */
    public boolean hasPat() {
        return this == X86_64 || this == I386;
    }

    /** Looks an arch up by its command-line name, case-insensitively; null when unknown. */
    public static Arch byCliName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Arch a : values()) {
            if (a.cliName.equals(n)) {
                return a;
            }
        }
        return null;
    }
}
