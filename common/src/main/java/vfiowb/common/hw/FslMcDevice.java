package vfiowb.common.hw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import vfiowb.common.Models;

/**
 * A DPAA2 object on the fsl-mc bus ({@code dprc.1}, {@code dpio.3}, ...): its MMIO regions with
 * cacheable/shareable attributes and its interrupts.
 *
 * <p>A container (DPRC) or management portal (DPMCP) has an MC command portal as region 0: a
 * 64-byte command area at its start (header qword then seven parameter qwords). Writing the
 * header with status READY (0x01) makes the Management Complex execute the command; the model
 * completes every command at once with status OK (0x00) and leaves the parameters as written.
 */
@Models("include/linux/fsl/mc.h:struct fsl_mc_device")
public class FslMcDevice implements Device {
    private static final int PORTAL_BYTES = 64;
    private static final int STATUS_BYTE = 2;
    private static final int STATUS_READY = 0x01;
    private static final int STATUS_OK = 0x00;

    private final String name;
    private final String objType;
    private final int objId;
    private final SystemBus bus;
    private final List<FslMcRegion> regions;
    private final List<SparseMemory> backing;
    private final int irqCount;
    private long commands;

    public FslMcDevice(String name, String objType, int objId, List<FslMcRegion> declared,
            int irqCount, SystemBus bus) {
        this.name = name;
        this.objType = objType;
        this.objId = objId;
        this.bus = bus;
        this.irqCount = irqCount;
        List<FslMcRegion> placed = new ArrayList<>();
        List<SparseMemory> mem = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            FslMcRegion r = declared.get(i);
            SparseMemory m = new SparseMemory(r.size());
            BusTarget target = i == 0 && hasCommandPortal() ? new PortalTarget(m) : m;
            placed.add(r.withStart(bus.place(SystemBus.Window.MMIO64, r.size(), 1, target)));
            mem.add(m);
        }
        if (hasCommandPortal() && (placed.isEmpty() || placed.get(0).size() < PORTAL_BYTES)) {
            throw new IllegalArgumentException(name + ": an MC portal region needs 64 bytes");
        }
        regions = Collections.unmodifiableList(placed);
        backing = Collections.unmodifiableList(mem);
    }

    @Override
    public String name() {
        return name;
    }

    /** Object type as the MC names it: dprc, dpmcp, dpio, dpni, ... */
    public String objType() {
        return objType;
    }

    public int objId() {
        return objId;
    }

    /** {@code is_fsl_mc_bus_dprc}. */
    public boolean isDprc() {
        return "dprc".equals(objType);
    }

    /** Whether region 0 is an MC command portal (containers and management portals). */
    public boolean hasCommandPortal() {
        return isDprc() || "dpmcp".equals(objType);
    }

    /** Size of the MC command area at the start of the portal region: 64 bytes. */
    public static int commandPortalSize() {
        return PORTAL_BYTES;
    }

    public List<FslMcRegion> regions() {
        return regions;
    }

    public FslMcRegion region(int index) {
        return regions.get(index);
    }

    public int irqCount() {
        return irqCount;
    }

    public long regionRead(int index, long offset, int width) {
        return bus.read(checked(index, offset, width).start() + offset, width);
    }

    public void regionWrite(int index, long offset, int width, long value) {
        FslMcRegion r = checked(index, offset, width);
        if (r.writable()) {
            bus.write(r.start() + offset, width, value);
        }
    }

    /** The memory behind region {@code index}, for tests. */
    public SparseMemory regionMemory(int index) {
        return backing.get(index);
    }

    /** Commands the Management Complex has executed through the portal. */
    public synchronized long commandsExecuted() {
        return commands;
    }

    private FslMcRegion checked(int index, long offset, int width) {
        FslMcRegion r = regions.get(index);
        if (offset < 0 || offset + width > r.size()) {
            throw new IllegalArgumentException(String.format("%s: region %d access 0x%x+%d outside 0x%x",
                    name, index, offset, width, r.size()));
        }
        return r;
    }

    private final class PortalTarget implements BusTarget {
        private final SparseMemory mem;

        PortalTarget(SparseMemory mem) {
            this.mem = mem;
        }

        @Override
        public long read(long offset, int width) {
            return mem.read(offset, width);
        }

        @Override
        public void write(long offset, int width, long value) {
            mem.write(offset, width, value);
            if (offset <= STATUS_BYTE && offset + width > STATUS_BYTE
                    && mem.read(STATUS_BYTE, 1) == STATUS_READY) {
                mem.write(STATUS_BYTE, 1, STATUS_OK);
                synchronized (FslMcDevice.this) {
                    commands++;
                }
            }
        }
    }
}
