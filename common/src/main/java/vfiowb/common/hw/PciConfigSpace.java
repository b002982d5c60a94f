package vfiowb.common.hw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import vfiowb.common.Models;

/**
 * The registers of a function's configuration space as the hardware implements them: 256
 * bytes for conventional PCI, 4096 for PCI Express. Writes go through a per-byte writable mask
 * (read-only bits keep their value, which is how BAR sizing works) and a write-one-to-clear
 * mask (status error bits).
 *
 * <p>This is the device's side only. What vfio-pci shows userspace (virtualised BARs, the
 * emulated command register, hidden capabilities) is built on top of it in the stage modules.
 * Accesses are 1, 2 or 4 bytes inside the space; anything else is a model bug and throws
 * {@link IllegalArgumentException}.
 */
@Models("drivers/pci/access.c:pci_read_config_dword")
public final class PciConfigSpace {
    private static final int CAP_TTL = 48;
    private static final int FIRST_CAP = 0x40;
    private static final int EXT_CAP_START = 0x100;
    private static final int STATUS_CAP_LIST = 0x10;

    /** The type-0 header registers: offset and width in bytes. */
    public enum Register {
        VENDOR_ID(0x00, 2), DEVICE_ID(0x02, 2), COMMAND(0x04, 2), STATUS(0x06, 2),
        REVISION_ID(0x08, 1), CLASS_PROG(0x09, 1), CLASS_DEVICE(0x0A, 2),
        CACHE_LINE_SIZE(0x0C, 1), LATENCY_TIMER(0x0D, 1), HEADER_TYPE(0x0E, 1), BIST(0x0F, 1),
        BAR0(0x10, 4), BAR1(0x14, 4), BAR2(0x18, 4), BAR3(0x1C, 4), BAR4(0x20, 4), BAR5(0x24, 4),
        CARDBUS_CIS(0x28, 4), SUBSYSTEM_VENDOR_ID(0x2C, 2), SUBSYSTEM_ID(0x2E, 2),
        ROM_ADDRESS(0x30, 4), CAPABILITY_LIST(0x34, 1), INTERRUPT_LINE(0x3C, 1),
        INTERRUPT_PIN(0x3D, 1), MIN_GNT(0x3E, 1), MAX_LAT(0x3F, 1);

        private final int offset;
        private final int width;

        Register(int offset, int width) {
            this.offset = offset;
            this.width = width;
        }

        public int offset() {
            return offset;
        }

        public int width() {
            return width;
        }

        /** The register of BAR {@code index} (0..5). */
        public static Register bar(int index) {
            if (index < 0 || index > 5) {
                throw new IllegalArgumentException("BAR index must be 0..5: " + index);
            }
            return values()[BAR0.ordinal() + index];
        }
    }

    /** Bits of the command register. */
    public enum Command {
        IO(0x1), MEMORY(0x2), BUS_MASTER(0x4), SPECIAL(0x8), INVALIDATE(0x10),
        VGA_PALETTE(0x20), PARITY(0x40), SERR(0x100), FAST_BACK(0x200), INTX_DISABLE(0x400);

        private final int mask;

        Command(int mask) {
            this.mask = mask;
        }

        public int mask() {
            return mask;
        }

        public boolean in(long command) {
            return (command & mask) != 0;
        }
    }

    /** Capability IDs the model builds or looks for. */
    public enum CapabilityId {
        PM(0x01), MSI(0x05), VENDOR_SPECIFIC(0x09), EXP(0x10), MSIX(0x11), AF(0x13);

        private final int id;

        CapabilityId(int id) {
            this.id = id;
        }

        public int id() {
            return id;
        }
    }

    /** A capability found on the list: its ID and the offset of its header. */
    public record Capability(int id, int offset) {}

    private final byte[] regs;
    private final byte[] wmask;
    private final byte[] w1cmask;
    private int lastCap;
    private int nextFreeCap = FIRST_CAP;
    private boolean loadedFromImage;

    /** An all-zero space of {@code size} bytes (256 or 4096), every bit read-only. */
    public PciConfigSpace(int size) {
        if (size != 256 && size != 4096) {
            throw new IllegalArgumentException("config space is 256 or 4096 bytes: " + size);
        }
        regs = new byte[size];
        wmask = new byte[size];
        w1cmask = new byte[size];
    }

    /** A space holding a copy of {@code initial} (256 or 4096 bytes), every bit read-only. */
    public PciConfigSpace(byte[] initial) {
        this(initial.length);
        System.arraycopy(initial, 0, regs, 0, initial.length);
        loadedFromImage = true;
    }

    public int size() {
        return regs.length;
    }

    /** A config read of 1, 2 or 4 bytes, little-endian. */
    public synchronized long read(int offset, int width) {
        check(offset, width);
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (long) (regs[offset + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    public long read(Register r) {
        return read(r.offset(), r.width());
    }

    /** A config write: writable bits take the value, RW1C bits written as 1 clear, the rest stay. */
    public synchronized void write(int offset, int width, long value) {
        check(offset, width);
        for (int i = 0; i < width; i++) {
            int p = offset + i;
            int v = (int) (value >>> (8 * i)) & 0xFF;
            int nv = (regs[p] & ~wmask[p]) | (v & wmask[p]);
            nv &= ~(v & w1cmask[p]);
            regs[p] = (byte) nv;
        }
    }

    public void write(Register r, long value) {
        write(r.offset(), r.width(), value);
    }

    /** Stores a value regardless of masks: the device itself (or firmware) setting a register. */
    public synchronized void set(int offset, int width, long value) {
        check(offset, width);
        for (int i = 0; i < width; i++) {
            regs[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    public void set(Register r, long value) {
        set(r.offset(), r.width(), value);
    }

    /** Declares which bits of {@code [offset, offset+width)} software may write. */
    public synchronized void setWritable(int offset, int width, long mask) {
        check(offset, width);
        for (int i = 0; i < width; i++) {
            wmask[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    /** Declares which bits of {@code [offset, offset+width)} are write-one-to-clear. */
    public synchronized void setWriteOneToClear(int offset, int width, long mask) {
        check(offset, width);
        for (int i = 0; i < width; i++) {
            w1cmask[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    /** The writable mask of one register, as a value of {@code width} bytes. */
    public synchronized long writableMask(int offset, int width) {
        check(offset, width);
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (long) (wmask[offset + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    /** A copy of every register byte. */
    public synchronized byte[] bytes() {
        return regs.clone();
    }

    /** Overwrites all register bytes at once (restore after reset); masks are unchanged. */
    public synchronized void load(byte[] image) {
        if (image.length != regs.length) {
            throw new IllegalArgumentException("config image of " + image.length + " bytes for a "
                    + regs.length + "-byte space");
        }
        System.arraycopy(image, 0, regs, 0, regs.length);
    }

    /**
     * Appends a capability of {@code length} bytes to the standard list (first at 0x40, each
     * following one dword aligned after the previous), links it, sets the status register's
     * capability-list bit and returns its offset.
     */
    public synchronized int addCapability(CapabilityId id, int length) {
        if (loadedFromImage) {
            throw new IllegalStateException("capabilities of a loaded config image are fixed");
        }
        if (length < 2) {
            throw new IllegalArgumentException("a capability has at least its two header bytes");
        }
        int at = nextFreeCap;
        if (at + length > 256) {
            throw new IllegalStateException("standard capabilities overflow 256 bytes");
        }
        if (lastCap == 0) {
            set(Register.CAPABILITY_LIST.offset(), 1, at);
        } else {
            set(lastCap + 1, 1, at);
        }
        set(at, 1, id.id());
        set(at + 1, 1, 0);
        lastCap = at;
        nextFreeCap = (at + length + 3) & ~3;
        set(Register.STATUS, read(Register.STATUS) | STATUS_CAP_LIST);
        return at;
    }

    public int vendorId() {
        return (int) read(Register.VENDOR_ID);
    }

    public int deviceId() {
        return (int) read(Register.DEVICE_ID);
    }

    public int command() {
        return (int) read(Register.COMMAND);
    }

    public int status() {
        return (int) read(Register.STATUS);
    }

    public int revision() {
        return (int) read(Register.REVISION_ID);
    }

    /** The 24-bit class code: base class, subclass, programming interface. */
    public int classCode() {
        return (int) (read(0x08, 4) >>> 8);
    }

    public int headerType() {
        return (int) read(Register.HEADER_TYPE);
    }

    public int subsystemVendorId() {
        return (int) read(Register.SUBSYSTEM_VENDOR_ID);
    }

    public int subsystemId() {
        return (int) read(Register.SUBSYSTEM_ID);
    }

    public int interruptPin() {
        return (int) read(Register.INTERRUPT_PIN);
    }

    /** The capability pointer register, or 0 when the status register has no capability list. */
    public int capabilityPointer() {
        return (status() & STATUS_CAP_LIST) == 0 ? 0 : (int) read(Register.CAPABILITY_LIST) & 0xFC;
    }

    /**
     * Walks the standard capability list as {@code pci_find_capability} does: from the
     * capability pointer, ignoring the low two bits, stopping at a pointer below 0x40 and after
     * 48 hops (so a cyclic list ends).
     */
    public synchronized List<Capability> capabilities() {
        List<Capability> out = new ArrayList<>();
        if ((status() & STATUS_CAP_LIST) == 0) {
            return out;
        }
        int pos = (int) read(Register.CAPABILITY_LIST) & 0xFC;
        for (int ttl = CAP_TTL; ttl > 0 && pos >= FIRST_CAP && pos < 256; ttl--) {
            int id = regs[pos] & 0xFF;
            if (id == 0xFF) {
                break;
            }
            out.add(new Capability(id, pos));
            pos = regs[pos + 1] & 0xFC;
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code pci_find_capability}: offset of the first capability with {@code id}. */
    public OptionalInt findCapability(int id) {
        for (Capability c : capabilities()) {
            if (c.id() == id) {
                return OptionalInt.of(c.offset());
            }
        }
        return OptionalInt.empty();
    }

    public OptionalInt findCapability(CapabilityId id) {
        return findCapability(id.id());
    }

    /**
     * Walks the extended capability list at 0x100 (PCI Express only) as
     * {@code pci_find_ext_capability}: a header of all zeros means no extended capabilities.
     */
    public synchronized List<Capability> extendedCapabilities() {
        List<Capability> out = new ArrayList<>();
        if (regs.length < 4096) {
            return out;
        }
        int pos = EXT_CAP_START;
        for (int ttl = (4096 - 256) / 8; ttl > 0 && pos >= EXT_CAP_START; ttl--) {
            long header = read(pos, 4);
            if (header == 0 || header == 0xFFFF_FFFFL) {
                break;
            }
            out.add(new Capability((int) (header & 0xFFFF), pos));
            pos = (int) (header >>> 20) & 0xFFC;
        }
        return Collections.unmodifiableList(out);
    }

    private void check(int offset, int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("config access width must be 1, 2 or 4: " + width);
        }
        if (offset < 0 || offset + width > regs.length) {
            throw new IllegalArgumentException(String.format(
                    "config access 0x%x+%d outside %d-byte space", offset, width, regs.length));
        }
    }
}
