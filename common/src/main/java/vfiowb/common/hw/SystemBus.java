package vfiowb.common.hw;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PatMemtype;
import vfiowb.common.mm.PhysicalMemory;

/**
 * The host's physical address space: assigns naturally aligned addresses to device resources
 * and RAM, and routes loads and stores from page-table entries to them.
 *
 * <p>Addresses are handed out by a bump allocator per window (32-bit MMIO below 4 GiB, RAM from
 * 4 GiB, 64-bit MMIO above it), each aligned to its own power-of-two size as PCI BAR
 * assignment guarantees. Nothing is freed: a model boots, runs and is dropped.
 *
 * <p>The windows lie below the architecture's physical address limit
 * ({@link Arch#physAddrLimit()}): 64-bit MMIO from {@code min(64 TiB, limit / 4)} to the limit,
 * RAM from 4 GiB up to where 64-bit MMIO starts. x86_64 (52 bits): RAM to 64 TiB, 64-bit MMIO
 * from 64 TiB to 4 PiB; arm64 (48 bits): 64-bit MMIO from 64 TiB to 256 TiB; i386 with PAE (44
 * bits): RAM to 4 TiB, 64-bit MMIO from 4 TiB to 16 TiB. A resource that does not fit throws
 * {@link NoPhysicalSpaceException}: such a device cannot exist on that machine, as a BAR the
 * PCI core cannot assign cannot be used.
 */
public final class SystemBus implements PhysicalMemory {
    private static final long MMIO32_BASE = 0x8000_0000L;
    private static final long MMIO32_LIMIT = 0xFEC0_0000L;
    private static final long RAM_BASE = 0x1_0000_0000L;
    /** Where 64-bit MMIO starts on a machine with room for it: 64 TiB. */
    private static final long MMIO64_BASE = 0x4000_0000_0000L;
    private static final long IO_BASE = 0x1000L;
    private static final long IO_LIMIT = 0x1_0000L;

    /**
     * s390's zPCI I/O map ({@code ZPCI_IOMAP_ADDR_BASE}, arch/s390/include/asm/pci_io.h): where
     * {@code zpci_setup_bus_resources} puts a BAR of a function without MIO, one entry of
     * {@code 1 << ZPCI_IOMAP_SHIFT} (256 TiB) per BAR, at {@code ZPCI_ADDR(entry)}.
     */
    private static final long ZPCI_IOMAP_ADDR_BASE = 1L << 62;
    private static final int ZPCI_IOMAP_SHIFT = 48;
    private static final long ZPCI_IOMAP_MAX_ENTRIES = 1L << (62 - ZPCI_IOMAP_SHIFT);

    /**
     * Which window a resource is placed in. {@link #ZPCI_IOMAP} is not physical memory: a zPCI
     * BAR is reached by PCI load and store instructions naming the function and the offset, so
     * its address is a token of the I/O map (like an I/O port, never reachable through a page
     * table) and the CPU's physical address width does not bound it.
     */
    public enum Window { MMIO32, MMIO64, RAM, IO_PORT, ZPCI_IOMAP }

    private record Mapping(long start, long size, BusTarget target) {}

    private final TreeMap<Long, Mapping> map = new TreeMap<>();
    private final TreeMap<Long, Mapping> ioPorts = new TreeMap<>();
    private final int physAddrBits;
    private final long physLimit;
    private final long mmio64Base;
    private long next32 = MMIO32_BASE;
    private long next64;
    private long nextRam = RAM_BASE;
    private long nextIo = IO_BASE;
    private long nextIomapEntry;
    private final TreeMap<Long, Mapping> iomap = new TreeMap<>();
    private final PatMemtype patMemtype = new PatMemtype();
    private volatile Consumer<Transaction> analyser;

    /** Which address space a {@link Transaction} went to. */
    public enum Space { MEMORY, IO_PORT, ZPCI }

    /**
     * One load or store as the decoding target received it: its address space, the address the
     * CPU issued, the access width in bytes (a device sees each MMIO or port access as one
     * transaction of that width, a zPCI load or store as one instruction of that length) and
     * whether it was a store.
     */
    public record Transaction(Space space, long address, int width, boolean write) {}

    /**
     * Attaches a bus analyser that sees every load and store some target decodes (in the
     * calling thread, before the target acts), or detaches it with {@code null}. What a logic
     * analyser on the bus would show: nothing here changes what any access does.
     */
    public void setAnalyser(Consumer<Transaction> analyser) {
        this.analyser = analyser;
    }

    /**
     * Shows the analyser a transaction whose target the model reaches without a lookup in this
     * bus's maps, though on a real machine it crosses the bus at {@code address} of
     * {@code space}: the legacy VGA ranges a bridge routes to its VGA function, and a ROM read
     * through the mapping {@code pci_map_rom} made while the ROM BAR is enabled for it.
     */
    public void observeRouted(Space space, long address, int width, boolean write) {
        observe(space, address, width, write);
    }

    private void observe(Space space, long address, int width, boolean write) {
        Consumer<Transaction> a = analyser;
        if (a != null) {
            a.accept(new Transaction(space, address, width, write));
        }
    }

    /** The bus of an x86_64 machine (52-bit physical addresses). */
    public SystemBus() {
        this(Arch.X86_64);
    }

    /** The bus of a machine of {@code arch}, its windows below the arch's physical limit. */
    public SystemBus(Arch arch) {
        this.physAddrBits = arch.physAddrBits();
        this.physLimit = arch.physAddrLimit();
        this.mmio64Base = Math.min(MMIO64_BASE, physLimit >>> 2);
        this.next64 = mmio64Base;
    }

    /** The first physical address this machine cannot reach. */
    public long physLimit() {
        return physLimit;
    }

    /** The physical range {@code [start, end)} of {@code window} on this machine. */
    public long[] window(Window window) {
        switch (window) {
            case MMIO32:
                return new long[] {MMIO32_BASE, MMIO32_LIMIT};
            case MMIO64:
                return new long[] {mmio64Base, physLimit};
            case RAM:
                return new long[] {RAM_BASE, mmio64Base};
            case ZPCI_IOMAP:
                return new long[] {ZPCI_IOMAP_ADDR_BASE, Long.MAX_VALUE};
            default:
                return new long[] {IO_BASE, IO_LIMIT};
        }
    }

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
                check(start, size, align, window);
                next32 = start + size;
                break;
            case MMIO64:
                start = alignUp(next64, align);
                check(start, size, align, window);
                next64 = start + size;
                break;
            case RAM:
                start = alignUp(nextRam, Math.max(alignment, 4096));
                check(start, size, Math.max(alignment, 4096), window);
                nextRam = start + size;
                break;
            case IO_PORT:
                start = alignUp(nextIo, align);
                check(start, size, align, window);
                nextIo = start + size;
                ioPorts.put(start, new Mapping(start, size, target));
                return start;
            case ZPCI_IOMAP:
                if (size > 1L << ZPCI_IOMAP_SHIFT || nextIomapEntry == ZPCI_IOMAP_MAX_ENTRIES) {
                    throw new NoPhysicalSpaceException(String.format("a zPCI BAR of 0x%x bytes does "
                            + "not fit an I/O map entry (or the map is full)", size));
                }
                start = ZPCI_IOMAP_ADDR_BASE + (nextIomapEntry++ << ZPCI_IOMAP_SHIFT);
                iomap.put(start, new Mapping(start, size, target));
                return start;
            default:
                throw new IllegalStateException();
        }
        map.put(start, new Mapping(start, size, target));
        return start;
    }

    /** Places a resource at a fixed address (platform devices described by firmware). */
    public synchronized void placeAt(long start, long size, BusTarget target) {
        if (Long.compareUnsigned(start, physLimit) >= 0
                || Long.compareUnsigned(size, physLimit - start) > 0) {
            throw new NoPhysicalSpaceException(String.format("physical range 0x%x+0x%x lies beyond "
                    + "this machine's %d-bit physical address space", start, size, physAddrBits));
        }
        Map.Entry<Long, Mapping> below = map.floorEntry(start + size - 1);
        if (below != null && below.getValue().start + below.getValue().size > start) {
            throw new IllegalStateException(String.format(
                    "physical range 0x%x+0x%x overlaps 0x%x", start, size, below.getKey()));
        }
        map.put(start, new Mapping(start, size, target));
    }

    /** A physical range something decodes: {@code [start, start + size)}. */
    public record Range(long start, long size) {}

    /** Every MMIO and RAM range placed so far, by address (I/O ports are not in it). */
    public synchronized java.util.List<Range> ranges() {
        return map.values().stream().map(m -> new Range(m.start, m.size)).toList();
    }

    private static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }

    private void check(long start, long size, long align, Window w) {
        long[] range = window(w);
        long limit = range[1];
        if (start < range[0] || start + size > limit || start + size < start) {
            boolean never = size > limit - alignUp(range[0], align);
            throw new NoPhysicalSpaceException(String.format("a resource of %s (aligned to %s) %s "
                    + "in the %s window 0x%x-0x%x of this machine's %d-bit physical address space",
                    human(size), human(align), never ? "does not fit" : "no longer fits", w,
                    range[0], limit, physAddrBits));
        }
    }

    private static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v >= 1024 && (v & 1023) == 0) {
            v >>>= 10;
            u++;
        }
        return u == 0 ? "0x" + Long.toHexString(bytes) + " bytes" : v + " " + units[u];
    }

    private Mapping find(long physAddr) {
        return find(map, physAddr);
    }

    /** The mapping of {@code space} (physical memory, the zPCI I/O map or I/O ports) holding {@code addr}. */
    private static Mapping find(NavigableMap<Long, Mapping> space, long addr) {
        Map.Entry<Long, Mapping> e = space.floorEntry(addr);
        if (e == null) {
            return null;
        }
        Mapping m = e.getValue();
        return addr - m.start < m.size ? m : null;
    }

    /** What a read nothing answers returns: all ones, as a master abort reads on PCI. */
    private static long allOnes(int width) {
        return width == 8 ? -1L : (1L << (8 * width)) - 1;
    }

    private synchronized Mapping lookup(NavigableMap<Long, Mapping> space, long addr) {
        return find(space, addr);
    }

    /** A load the analyser sees, from the mapping of {@code space} at {@code addr}; all ones where none. */
    private long load(NavigableMap<Long, Mapping> in, Space space, long addr, int width) {
        Mapping m = lookup(in, addr);
        if (m == null) {
            return allOnes(width);
        }
        observe(space, addr, width, false);
        return m.target.read(addr - m.start, width);
    }

    /** A store the analyser sees, to the mapping of {@code space} at {@code addr}; dropped where none. */
    private void store(NavigableMap<Long, Mapping> in, Space space, long addr, int width, long value) {
        Mapping m = lookup(in, addr);
        if (m != null) {
            observe(space, addr, width, true);
            m.target.write(addr - m.start, width, value);
        }
    }

    @Override
    public long read(long physAddr, int width) {
        return load(map, Space.MEMORY, physAddr, width);
    }

    @Override
    public void write(long physAddr, int width, long value) {
        store(map, Space.MEMORY, physAddr, width, value);
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

    /** A zPCI load ({@code __zpci_load}) from an address of the I/O map. */
    public long iomapRead(long addr, int width) {
        return load(iomap, Space.ZPCI, addr, width);
    }

    /** A zPCI store ({@code __zpci_store}) to an address of the I/O map. */
    public void iomapWrite(long addr, int width, long value) {
        store(iomap, Space.ZPCI, addr, width, value);
    }

    /**
     * A zPCI store block (PCISTB) of {@code data} at {@code addr} of the I/O map: one
     * instruction, so the analyser sees one store of {@code data.length} bytes; the target
     * receives the bytes in its own pieces.
     */
    public void iomapStoreBlock(long addr, byte[] data) {
        Mapping m = lookup(iomap, addr);
        if (m == null) {
            return;
        }
        observe(Space.ZPCI, addr, data.length, true);
        int i = 0;
        while (i < data.length) {
            int w = (data.length - i >= 8 && ((addr + i) & 7) == 0) ? 8 : 1;
            long v = 0;
            for (int b = 0; b < w; b++) {
                v |= (long) (data[i + b] & 0xFF) << (8 * b);
            }
            m.target.write(addr + i - m.start, w, v);
            i += w;
        }
    }

    /** Port I/O ({@code inb/outb} and friends) for I/O BARs. */
    public long ioRead(long port, int width) {
        return load(ioPorts, Space.IO_PORT, port, width);
    }

    public void ioWrite(long port, int width, long value) {
        store(ioPorts, Space.IO_PORT, port, width, value);
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
