package vfiowb.common.hw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A non-PCI device described by a list of resources and a number of interrupts - a platform
 * device, an AMBA primecell, a CDX function - with every resource decoding on the bus.
 * MMIO resources are placed in the 32-bit window (the 64-bit one when {@code highMmio}),
 * naturally aligned; port resources in the I/O space. Contents are zero-filled registers.
 */
public abstract class ResourceDevice implements Device {
    private final String name;
    private final SystemBus bus;
    private final List<PlatformResource> resources;
    private final List<SparseMemory> backing;
    private final int irqCount;

    protected ResourceDevice(String name, List<PlatformResource> declared, int irqCount,
            boolean highMmio, SystemBus bus) {
        if (irqCount < 0) {
            throw new IllegalArgumentException("negative IRQ count");
        }
        this.name = name;
        this.bus = bus;
        this.irqCount = irqCount;
        List<PlatformResource> placed = new ArrayList<>();
        List<SparseMemory> mem = new ArrayList<>();
        for (PlatformResource r : declared) {
            SparseMemory m = new SparseMemory(r.size());
            long start;
            if (r.isMmio()) {
                start = bus.place(highMmio ? SystemBus.Window.MMIO64 : SystemBus.Window.MMIO32,
                        r.size(), 1, m);
            } else {
                start = bus.place(SystemBus.Window.IO_PORT, r.size(), 1, m);
            }
            placed.add(r.withStart(start));
            mem.add(m);
        }
        this.resources = Collections.unmodifiableList(placed);
        this.backing = Collections.unmodifiableList(mem);
    }

    @Override
    public String name() {
        return name;
    }

    public SystemBus bus() {
        return bus;
    }

    /** The resources in firmware order, placed. */
    public List<PlatformResource> resources() {
        return resources;
    }

    public PlatformResource resource(int index) {
        return resources.get(index);
    }

    public int irqCount() {
        return irqCount;
    }

    /** A load from resource {@code index} at {@code offset}, through the bus. */
    public long resourceRead(int index, long offset, int width) {
        PlatformResource r = checked(index, offset, width);
        return r.isMmio() ? bus.read(r.start() + offset, width) : bus.ioRead(r.start() + offset, width);
    }

    /** A store to resource {@code index}; stores to a read-only resource are ignored. */
    public void resourceWrite(int index, long offset, int width, long value) {
        PlatformResource r = checked(index, offset, width);
        if (!r.writable()) {
            return;
        }
        if (r.isMmio()) {
            bus.write(r.start() + offset, width, value);
        } else {
            bus.ioWrite(r.start() + offset, width, value);
        }
    }

    /** The registers behind resource {@code index}, for tests and the device's own logic. */
    public SparseMemory resourceMemory(int index) {
        return backing.get(index);
    }

    private PlatformResource checked(int index, long offset, int width) {
        PlatformResource r = resources.get(index);
        if (offset < 0 || offset + width > r.size()) {
            throw new IllegalArgumentException(String.format("%s: resource %d access 0x%x+%d outside 0x%x",
                    name, index, offset, width, r.size()));
        }
        return r;
    }
}
