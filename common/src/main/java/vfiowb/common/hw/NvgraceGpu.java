package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * An NVIDIA Grace Hopper/Blackwell GPU function with CPU-coherent device memory. Firmware
 * describes the memory by physical base and length (ACPI properties); it is ordinary cacheable
 * RAM on the bus, not behind a BAR, so memory decode does not gate it.
 *
 * <p>The partition follows {@code nvgrace_gpu_init_nvdev_struct}: on hardware with the MIG bug
 * a 1 GiB carve-out at the top becomes "resmem" (mapped write-combining), and the rest, rounded
 * down to the 512 MiB {@code MEMBLK_SIZE}, is "usemem" (mapped cacheable); resmem takes what is
 * left. Without the bug all memory is usemem. The VFIO driver reports each as a fake 64-bit BAR
 * of {@code roundup_pow_of_two(length)}; those sizes are computed here.
 *
 * <p>A function built with length 0 has no coherent memory (firmware properties absent): the
 * kernel binds {@code nvgrace_gpu_pci_core_ops} to it.
 *
 * <p>Readiness: BAR0 holds the C2C link status (0x1498) and HBM training status (0x200BC)
 * registers the driver polls for {@code STATUS_READY} (0xFF). The model's GPU is ready at
 * power-on and again as soon as a reset completes (the real part takes up to seconds; the
 * model has no time). The registers are ordinary BAR0 memory, so a store through BAR0 can make
 * the GPU look not ready, which is how the driver's timeout path is reached.
 */
@Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_init_nvdev_struct")
public class NvgraceGpu extends PciFunction {
    private static final long MEMBLK_SIZE = 512L << 20;
    private static final long RESMEM_SIZE = 1L << 30;
    private static final long C2C_LINK_BAR0_OFFSET = 0x1498;
    private static final long HBM_TRAINING_BAR0_OFFSET = 0x200BC;
    private static final int STATUS_READY = 0xFF;

    private final long memLength;
    private final boolean migHwBug;
    private final SparseMemory deviceMemory;
    private final long memPhys;
    private final long usememLength;
    private final long resmemLength;

    public NvgraceGpu(PciFunctionSpec spec, SystemBus bus, long memLength, boolean migHwBug) {
        super(spec, bus);
        if (memLength < 0 || (memLength > 0 && migHwBug && memLength <= RESMEM_SIZE + MEMBLK_SIZE)) {
            throw new IllegalArgumentException("device memory too small to partition: " + memLength);
        }
        this.memLength = memLength;
        this.migHwBug = migHwBug;
        setReady();
        if (memLength == 0) {
            deviceMemory = null;
            memPhys = 0;
            usememLength = 0;
            resmemLength = 0;
            return;
        }
        deviceMemory = new SparseMemory(memLength);
        memPhys = bus.place(SystemBus.Window.RAM, memLength, MEMBLK_SIZE, deviceMemory);
        if (migHwBug) {
            usememLength = ((memLength - RESMEM_SIZE) / MEMBLK_SIZE) * MEMBLK_SIZE;
            resmemLength = memLength - usememLength;
        } else {
            usememLength = memLength;
            resmemLength = 0;
        }
    }

    /** Reset as {@link PciFunction#reset()}, after which the GPU reports ready again. */
    @Override
    public void reset() {
        super.reset();
        setReady();
    }

    private void setReady() {
        barMemory(0).ifPresent(m -> {
            if (m.size() >= HBM_TRAINING_BAR0_OFFSET + 4) {
                m.write(C2C_LINK_BAR0_OFFSET, 4, STATUS_READY);
                m.write(HBM_TRAINING_BAR0_OFFSET, 4, STATUS_READY);
            }
        });
    }

    /** {@code C2C_LINK_BAR0_OFFSET}: the C2C link status register in BAR0. */
    public static long c2cLinkBar0Offset() {
        return C2C_LINK_BAR0_OFFSET;
    }

    /** {@code HBM_TRAINING_BAR0_OFFSET}: the HBM training status register in BAR0. */
    public static long hbmTrainingBar0Offset() {
        return HBM_TRAINING_BAR0_OFFSET;
    }

    /** {@code STATUS_READY}: what both registers read once the GPU is ready. */
    public static int statusReady() {
        return STATUS_READY;
    }

    /** {@code MEMBLK_SIZE}: the 512 MiB granule usemem is rounded down to (firmware ABI). */
    public static long memblkSize() {
        return MEMBLK_SIZE;
    }

    /** The carve-out taken for resmem on hardware with the MIG bug (1 GiB). */
    public static long resmemCarveOut() {
        return RESMEM_SIZE;
    }

    /** Whether firmware describes CPU-coherent device memory at all. */
    public boolean hasDeviceMemory() {
        return memLength != 0;
    }

    public boolean hasMigHwBug() {
        return migHwBug;
    }

    /** Base physical address of device memory ({@code memphys}). */
    public long deviceMemoryStart() {
        return memPhys;
    }

    /** Length of device memory ({@code memlength}); not a power of two. */
    public long deviceMemoryLength() {
        return memLength;
    }

    /** The device memory itself (for tests; loads and stores normally go through the bus). */
    public SparseMemory deviceMemory() {
        if (deviceMemory == null) {
            throw new IllegalStateException(name() + " has no coherent device memory");
        }
        return deviceMemory;
    }

    public long usememStart() {
        return memPhys;
    }

    public long usememLength() {
        return usememLength;
    }

    /** The fake BAR size reported for usemem: {@code roundup_pow_of_two(usemem length)}. */
    public long usememBarSize() {
        return roundUpPow2(usememLength);
    }

    /** Whether a resmem carve-out exists (MIG bug present). */
    public boolean hasResmem() {
        return resmemLength != 0;
    }

    public long resmemStart() {
        return hasResmem() ? memPhys + usememLength : 0;
    }

    public long resmemLength() {
        return resmemLength;
    }

    public long resmemBarSize() {
        return roundUpPow2(resmemLength);
    }

    private static long roundUpPow2(long v) {
        if (v == 0) {
            return 0;
        }
        long h = Long.highestOneBit(v);
        return h == v ? v : h << 1;
    }
}
