package vfiowb.wcalias.drivers.nvgracegpu;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.mm.PgProt;
import vfiowb.wcalias.core.VfioMmap;
import vfiowb.wcalias.drivers.nvgracegpu.NvgraceGpuPciCoreDevice.MemRegion;

/**
 * nvgrace-gpu's cookie for one fake BAR (this series): the part of device memory behind it
 * ({@code memphys}, {@code memlength}) and how its mappings are made (the page protection, and
 * whether {@code VM_ALLOW_ANY_UNCACHED} is set). Its size is the power-of-two BAR size region
 * info reports; only the first {@code memlength} bytes are memory. Immutable: the partition is
 * fixed at probe, and what the user writes to the emulated BAR registers ({@code bar_val})
 * stays in the device structure.
 */
@Models("drivers/vfio/pci/nvgrace-gpu/main.c:struct nvgrace_gpu_mmap")
public final class NvgraceGpuMmap extends VfioMmap {
    private final long memphys;
    private final long memlength;
    private final PgProt pgprot;
    private final boolean allowAnyUncached;

    /**
     * @param nvdev the GPU
     * @param index the fake BAR's region index (2 for resmem, 4 for usemem)
     * @param memregion the part of device memory the fake BAR exposes
     * @param pgprot the protection its mappings get
     * @param allowAnyUncached whether its mappings get {@code VM_ALLOW_ANY_UNCACHED}
     */
    NvgraceGpuMmap(NvgraceGpuPciCoreDevice nvdev, int index, MemRegion memregion, PgProt pgprot,
            boolean allowAnyUncached) {
        super(nvdev, index, memregion.barSize());
        this.memphys = memregion.memphys();
        this.memlength = memregion.memlength();
        this.pgprot = Objects.requireNonNull(pgprot, "pgprot");
        this.allowAnyUncached = allowAnyUncached;
    }

    /** The physical start of the memory behind the fake BAR. */
    public long memphys() {
        return memphys;
    }

    /** The bytes of real memory behind the fake BAR, from its start. */
    public long memlength() {
        return memlength;
    }

    /** The protection the fake BAR's mappings get. */
    public PgProt pgprot() {
        return pgprot;
    }

    /** Whether the fake BAR's mappings get {@code VM_ALLOW_ANY_UNCACHED}. */
    public boolean allowAnyUncached() {
        return allowAnyUncached;
    }

    @Override
    protected String describe() {
        return String.format("memphys 0x%x, memlength 0x%x, %s%s", memphys, memlength, pgprot,
                allowAnyUncached ? ", VM_ALLOW_ANY_UNCACHED" : "");
    }
}
