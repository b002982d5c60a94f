package vfiowb.common.hw;

import java.util.Map;
import java.util.TreeMap;
import vfiowb.common.mm.PatMemtype;
import vfiowb.common.mm.PhysicalMemory;

/**
 * The host's physical address space: assigns naturally aligned addresses to device resources
 * and RAM, and routes loads and stores from page-table entries to them.
 *
 * <p>Addresses are handed out by a bump allocator per window (32-bit MMIO below 4 GiB, 64-bit
 * MMIO from 64 TiB, RAM from 4 GiB), each aligned to its own power-of-two size as PCI BAR
 * assignment guarantees. Nothing is freed: a model boots, runs and is dropped.
 */
public final class SystemBus implements PhysicalMemory {
    private static final long MMIO32_BASE = 0x8000_0000L;
    private static final long MMIO32_LIMIT = 0xFEC0_0000L;
    private static final long RAM_BASE = 0x1_0000_0000L;
    private static final long RAM_LIMIT = 0x4000_0000_0000L;
    private static final long MMIO64_BASE = 0x4000_0000_0000L;
    private static final long MMIO64_LIMIT = 0x10_0000_0000_0000L;
    private static final long IO_BASE = 0x1000L;
    private static final long IO_LIMIT = 0x1_0000L;

    /** Which window a resource is placed in. */
    public enum Window { MMIO32, MMIO64, RAM, IO_PORT }

    private record Mapping(long start, long size, BusTarget target) {}

    private final TreeMap<Long, Mapping> map = new TreeMap<>();
    private final TreeMap<Long, Mapping> ioPorts = new TreeMap<>();
    private long next32 = MMIO32_BASE;
    private long next64 = MMIO64_BASE;
    private long nextRam = RAM_BASE;
    private long nextIo = IO_BASE;
    private final PatMemtype patMemtype = new PatMemtype();

    /** The memory-type reservations of this machine (consulted on x86 only). */
    @Override
    public PatMemtype patMemtype() {
        return patMemtype;
    }

    /**
     * Places {@code target} in {@code window} at an address aligned to
     * {@code max(alignment, size rounded up to a power of two)} and returns the address.
     * I/O ports get their own address space (they are never reachable through a mapping).
     */
    public synchronized long place(Window window, long size, long alignment, BusTarget target) {
        if (size <= 0) {
            throw new IllegalArgumentException("resource size must be positive: " + size);
        }
        long align = Math.max(alignment, Long.highestOneBit(size) == size ? size
                : Long.highestOneBit(size) << 1);
        long start;
        switch (window) {
            case MMIO32:
                start = alignUp(next32, align);
                check(start, size, MMIO32_LIMIT, window);
                next32 = start + size;
                break;
            case MMIO64:
                start = alignUp(next64, align);
                check(start, size, MMIO64_LIMIT, window);
                next64 = start + size;
                break;
            case RAM:
                start = alignUp(nextRam, Math.max(alignment, 4096));
                check(start, size, RAM_LIMIT, window);
                nextRam = start + size;
                break;
            case IO_PORT:
                start = alignUp(nextIo, align);
                check(start, size, IO_LIMIT, window);
                nextIo = start + size;
                ioPorts.put(start, new Mapping(start, size, target));
                return start;
            default:
                throw new IllegalStateException();
        }
        map.put(start, new Mapping(start, size, target));
        return start;
    }

    /** Places a resource at a fixed address (platform devices described by firmware). */
    public synchronized void placeAt(long start, long size, BusTarget target) {
        Map.Entry<Long, Mapping> below = map.floorEntry(start + size - 1);
        if (below != null && below.getValue().start + below.getValue().size > start) {
            throw new IllegalStateException(String.format(
                    "physical range 0x%x+0x%x overlaps 0x%x", start, size, below.getKey()));
        }
        map.put(start, new Mapping(start, size, target));
    }

    private static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }

    private static void check(long start, long size, long limit, Window w) {
        if (start + size > limit || start + size < start) {
            throw new IllegalStateException("physical window " + w + " exhausted");
        }
    }

    private Mapping find(long physAddr) {
        Map.Entry<Long, Mapping> e = map.floorEntry(physAddr);
        if (e == null) {
            return null;
        }
        Mapping m = e.getValue();
        return physAddr - m.start < m.size ? m : null;
    }

    @Override
    public long read(long physAddr, int width) {
        Mapping m;
        synchronized (this) {
            m = find(physAddr);
        }
        if (m == null) {
            return width == 8 ? -1L : (1L << (8 * width)) - 1;
        }
        return m.target.read(physAddr - m.start, width);
    }

    @Override
    public void write(long physAddr, int width, long value) {
        Mapping m;
        synchronized (this) {
            m = find(physAddr);
        }
        if (m != null) {
            m.target.write(physAddr - m.start, width, value);
        }
    }

    @Override
    public synchronized boolean isBacked(long physAddr) {
        return find(physAddr) != null;
    }

    /** A fresh zeroed page of RAM, placed after everything else in the RAM window. */
    @Override
    public long allocPage(long pageSize) {
        return place(Window.RAM, pageSize, pageSize, new SparseMemory(pageSize));
    }

    /** Port I/O ({@code inb/outb} and friends) for I/O BARs. */
    public long ioRead(long port, int width) {
        Mapping m;
        synchronized (this) {
            Map.Entry<Long, Mapping> e = ioPorts.floorEntry(port);
            m = e != null && port - e.getValue().start < e.getValue().size ? e.getValue() : null;
        }
        return m == null ? (1L << (8 * width)) - 1 : m.target.read(port - m.start, width);
    }

    public void ioWrite(long port, int width, long value) {
        Mapping m;
        synchronized (this) {
            Map.Entry<Long, Mapping> e = ioPorts.floorEntry(port);
            m = e != null && port - e.getValue().start < e.getValue().size ? e.getValue() : null;
        }
        if (m != null) {
            m.target.write(port - m.start, width, value);
        }
    }

    /**
     * {@code request_resource()} on the MMIO tree: claims {@code [start, start + size)} for
     * {@code target} when nothing decodes any byte of it, as vfio-pci's "vfio sub-page reserved"
     * dummy resource does for the rest of a sub-page BAR's page.
     *
     * @return false when the range overlaps another resource (the kernel's -EBUSY)
     */
    public synchronized boolean requestRegion(long start, long size, BusTarget target) {
        if (size <= 0) {
            throw new IllegalArgumentException("region size must be positive: " + size);
        }
        Map.Entry<Long, Mapping> below = map.floorEntry(start + size - 1);
        if (below != null && below.getValue().start + below.getValue().size > start) {
            return false;
        }
        map.put(start, new Mapping(start, size, target));
        return true;
    }

    /** {@code release_resource()} of a range claimed with {@link #requestRegion}. */
    public synchronized void releaseRegion(long start) {
        if (map.remove(start) == null) {
            throw new IllegalStateException(String.format("no resource at 0x%x", start));
        }
    }

    /** A reservation nothing decodes: reads are all-ones (master abort), writes vanish. */
    public static BusTarget reserved() {
        return new BusTarget() {
            @Override
            public long read(long offset, int width) {
                return width == 8 ? -1L : (1L << (8 * width)) - 1;
            }

            @Override
            public void write(long offset, int width, long value) {}
        };
    }
}
