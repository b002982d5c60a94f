package vfiowb.common.hw;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import vfiowb.common.Models;
import vfiowb.common.hw.PciConfigSpace.CapabilityId;
import vfiowb.common.hw.PciConfigSpace.Command;
import vfiowb.common.hw.PciConfigSpace.Register;
import vfiowb.common.trace.KernelProbe;

/**
 * A PCI function as the PCI core and a driver bound to it see it: {@code struct pci_dev} with
 * its resources, its configuration registers and its BARs decoding on the {@link SystemBus}.
 *
 * <p>Memory BARs are backed by {@link SparseMemory} and placed in the bus's 32- or 64-bit MMIO
 * window (by BAR type), I/O BARs in the port space, a ROM BAR in the 32-bit window. Decoding
 * follows the command register: with MEMORY clear every memory BAR (and the ROM) reads all-ones
 * and drops writes, as a master abort does; IO likewise for I/O BARs. The MSI-X table is
 * ordinary BAR memory whose entries start masked; the PBA reads zero and ignores writes.
 *
 * <p>Simplifications: a BAR's bus placement is fixed at creation - writing a BAR register stores
 * the new value (sizing works) but does not move the window; interrupts are not generated.
 *
 * <p>Initial state, as after enumeration by firmware: BARs assigned, command register with
 * MEMORY and IO set for the kinds of BAR present and BUS_MASTER clear (a function built from a
 * sysfs config image keeps that image's command register, minus BUS_MASTER). {@link #reset()} is a
 * Function Level Reset (see there); {@link #pciResetFunction()} is what the PCI core does
 * around one.
 */
@Models("include/linux/pci.h:struct pci_dev")
public class PciFunction implements Device {
    private static final long PAGE = 4096;
    private static final int STATUS_RW1C = 0xF900;
    private static final int EXP_CAP_LENGTH = 0x3C;
    private static final int MSIX_CAP_LENGTH = 12;
    private static final int EXP_DEVCAP = 4;
    private static final int EXP_DEVCTL = 8;
    private static final int EXP_DEVCTL_BCR_FLR = 0x8000;
    private static final long EXP_DEVCAP_FLR = 1L << 28;

    private final PciFunctionSpec spec;
    private final SystemBus bus;
    private final PciBar[] bars = new PciBar[6];
    private final SparseMemory[] barMemory = new SparseMemory[6];
    private final PciRom rom;
    private final PciConfigSpace config;
    private final byte[] powerOnConfig;
    private final int expCap;
    private final int msixCap;
    private long resetCount;

    /** Builds the function described by {@code spec} and places its BARs and ROM on {@code bus}. */
    public PciFunction(PciFunctionSpec spec, SystemBus bus) {
        this.spec = spec;
        this.bus = bus;
        for (int i = 0; i < 6; i++) {
            bars[i] = placeBar(i);
        }
        PciRom r = spec.rom();
        if (r.present() && !r.shadow()) {
            r = r.withStart(bus.place(SystemBus.Window.MMIO32, r.size(), r.size(), new RomTarget()));
        }
        rom = r;

        Optional<byte[]> template = spec.configTemplate();
        config = template.isPresent() ? new PciConfigSpace(template.get())
                : new PciConfigSpace(spec.cfgSize());
        if (template.isEmpty()) {
            synthesiseHeader();
        } else {
            config.set(Register.COMMAND, config.command() & ~Command.BUS_MASTER.mask());
        }
        expCap = config.findCapability(CapabilityId.EXP).orElse(0);
        msixCap = config.findCapability(CapabilityId.MSIX).orElse(0);
        programBarRegisters();
        declareWritableBits();

        byte[] image = config.bytes();
        clearAddresses(image);
        powerOnConfig = image;
        initialiseMsixTable();
    }

    private PciBar placeBar(int i) {
        PciBar b = spec.bar(i);
        if (b.isEmpty()) {
            return b;
        }
        SystemBus.Window window = b.isIo() ? SystemBus.Window.IO_PORT
                : b.isMem64() ? SystemBus.Window.MMIO64 : SystemBus.Window.MMIO32;
        if (spec.offPage(i)) {
            // A neighbour's registers go first until the next free slot is not page aligned.
            long neighbour;
            do {
                neighbour = bus.place(window, b.size(), b.size(), new SparseMemory(b.size()));
            } while (((neighbour + b.size()) & (PAGE - 1)) == 0);
        }
        barMemory[i] = new SparseMemory(b.size());
        long start = bus.place(window, b.size(), spec.barAlignment(i), new BarTarget(i));
        if (spec.offPage(i) && (start & (PAGE - 1)) == 0) {
            throw new IllegalStateException(name() + ": BAR" + i + " landed page aligned");
        }
        return b.withStart(start);
    }

    @Override
    public String name() {
        return spec.name();
    }

    public PciFunctionSpec spec() {
        return spec;
    }

    public SystemBus bus() {
        return bus;
    }

    // ---- identity -------------------------------------------------------------------------

    public int vendorId() {
        return config.vendorId();
    }

    public int deviceId() {
        return config.deviceId();
    }

    public int subsystemVendorId() {
        return config.subsystemVendorId();
    }

    public int subsystemId() {
        return config.subsystemId();
    }

    /** {@code pdev->class}: the 24-bit class code. */
    public int classCode() {
        return config.classCode();
    }

    public int revision() {
        return config.revision();
    }

    /** {@code vfio_pci_is_vga}: the base class and subclass are VGA (0x0300). */
    @Models("drivers/vfio/pci/vfio_pci_priv.h:vfio_pci_is_vga")
    public boolean isVga() {
        KernelProbe.here();
        return (classCode() >> 8) == 0x0300;
    }

    /**
     * {@code pdev->is_virtfn}. On real hardware a VF's MEMORY command bit is hard-wired to 0 and
     * decode is controlled by the PF's SR-IOV capability (the kernel sets
     * {@code no_command_memory}); the model keeps the bit functional on VFs so decode behaves the
     * same for every function.
     */
    public boolean isVirtfn() {
        return spec.virtfn();
    }

    /** {@code pdev->cfg_size}: 256 or 4096. */
    public int cfgSize() {
        return config.size();
    }

    /** Whether the function has a PCI Express capability. */
    public boolean isPcie() {
        return expCap != 0;
    }

    /** Whether the PCI Express capability advertises Function Level Reset. */
    public boolean flrCapable() {
        return expCap != 0 && (config.read(expCap + EXP_DEVCAP, 4) & EXP_DEVCAP_FLR) != 0;
    }

    // ---- resources ------------------------------------------------------------------------

    /** BAR {@code index} (0..5) as placed. */
    public PciBar bar(int index) {
        return bars[index];
    }

    public List<PciBar> bars() {
        return List.of(bars);
    }

    /** {@code pci_resource_start}: BARs 0..5, 6 for the ROM. */
    @Models("include/linux/pci.h:pci_resource_start")
    public long pciResourceStart(int resno) {
        KernelProbe.here();
        checkResno(resno);
        return resno == 6 ? rom.start() : bars[resno].start();
    }

    /** {@code pci_resource_len}: 0 for an unimplemented BAR, an upper half or an absent ROM. */
    @Models("include/linux/pci.h:pci_resource_len")
    public long pciResourceLen(int resno) {
        KernelProbe.here();
        checkResno(resno);
        return resno == 6 ? rom.size() : bars[resno].size();
    }

    /** {@code pci_resource_end}: last address decoded, 0 when the resource is absent. */
    public long pciResourceEnd(int resno) {
        long len = pciResourceLen(resno);
        return len == 0 ? 0 : pciResourceStart(resno) + len - 1;
    }

    /** {@code pci_resource_flags}: {@code IORESOURCE_*} bits, see {@link IoResource}. */
    @Models("include/linux/pci.h:pci_resource_flags")
    public long pciResourceFlags(int resno) {
        KernelProbe.here();
        checkResno(resno);
        return resno == 6 ? rom.flags() : bars[resno].flags();
    }

    public boolean isIoBar(int index) {
        return bars[index].isIo();
    }

    public boolean isMemBar(int index) {
        return bars[index].isMem();
    }

    public boolean isMem64(int index) {
        return bars[index].isMem64();
    }

    public boolean isPrefetch(int index) {
        return bars[index].prefetchable();
    }

    /** Whether BAR {@code index} is the upper half of the 64-bit BAR below it. */
    public boolean isUpperHalf(int index) {
        return index > 0 && bars[index - 1].isMem64();
    }

    private static void checkResno(int resno) {
        if (resno < 0 || resno > 6) {
            throw new IllegalArgumentException("resource number must be 0..6: " + resno);
        }
    }

    // ---- ROM ------------------------------------------------------------------------------

    public PciRom rom() {
        return rom;
    }

    public boolean hasRom() {
        return rom.present();
    }

    public long romSize() {
        return rom.size();
    }

    public byte[] romImage() {
        return rom.image();
    }

    /** Whether the ROM BAR's enable bit is set (it decodes only then, and only with MEMORY). */
    public boolean romEnabled() {
        return (config.read(Register.ROM_ADDRESS) & 1) != 0;
    }

    /**
     * Reads the ROM the way {@code pci_map_rom} plus {@code ioread} does (the kernel enables the
     * ROM BAR for the duration): the image, then 0xFF up to the ROM size.
     */
    @Models("drivers/pci/rom.c:pci_map_rom")
    public long romRead(long offset, int width) {
        KernelProbe.here();
        return rom.read(offset, width);
    }

    // ---- config space and command register -------------------------------------------------

    /** The hardware registers (not the view vfio-pci virtualises for userspace). */
    public PciConfigSpace config() {
        return config;
    }

    public long configRead(int offset, int width) {
        return config.read(offset, width);
    }

    /**
     * A config write to the hardware. Setting "Initiate Function Level Reset" in the PCI
     * Express device control register performs {@link #reset()}.
     */
    public void configWrite(int offset, int width, long value) {
        int flrByte = expCap + EXP_DEVCTL + 1;
        boolean flr = expCap != 0 && flrCapable() && offset <= flrByte && offset + width > flrByte
                && ((value >>> (8 * (flrByte - offset))) & (EXP_DEVCTL_BCR_FLR >> 8)) != 0;
        config.write(offset, width, value);
        if (flr) {
            reset();
        }
    }

    public int command() {
        return config.command();
    }

    /** {@code __vfio_pci_memory_enabled} at the hardware: the command register's MEMORY bit. */
    public boolean memoryEnabled() {
        return Command.MEMORY.in(config.command());
    }

    public boolean ioEnabled() {
        return Command.IO.in(config.command());
    }

    public boolean busMasterEnabled() {
        return Command.BUS_MASTER.in(config.command());
    }

    /** Sets or clears the MEMORY bit as a config write would. */
    public void setMemoryEnabled(boolean on) {
        setCommandBit(Command.MEMORY, on);
    }

    public void setBusMaster(boolean on) {
        setCommandBit(Command.BUS_MASTER, on);
    }

    private void setCommandBit(Command bit, boolean on) {
        synchronized (config) {
            int cmd = config.command();
            config.write(Register.COMMAND, on ? cmd | bit.mask() : cmd & ~bit.mask());
        }
    }

    /** {@code pci_enable_device}: turns on decode (MEMORY and/or IO) for the BARs present. */
    @Models("drivers/pci/pci.c:pci_enable_device")
    public void pciEnableDevice() {
        KernelProbe.here();
        synchronized (config) {
            config.write(Register.COMMAND, config.command() | decodeBits());
        }
    }

    private int decodeBits() {
        int bits = 0;
        for (PciBar b : bars) {
            if (b.isIo()) {
                bits |= Command.IO.mask();
            } else if (b.isMem()) {
                bits |= Command.MEMORY.mask();
            }
        }
        if (rom.present() && !rom.shadow()) {
            bits |= Command.MEMORY.mask();
        }
        return bits;
    }

    // ---- MSI-X ----------------------------------------------------------------------------

    public boolean hasMsix() {
        return spec.msix().isPresent();
    }

    public Optional<MsixCapability> msix() {
        return spec.msix();
    }

    /** Config offset of the MSI-X capability, empty without one. */
    public OptionalInt msixCapabilityOffset() {
        return msixCap == 0 ? OptionalInt.empty() : OptionalInt.of(msixCap);
    }

    /** BAR holding the MSI-X table, or -1 without MSI-X. */
    public int msixTableBar() {
        return spec.msix().map(MsixCapability::tableBar).orElse(-1);
    }

    /** Offset of the MSI-X table in its BAR (0 without MSI-X). */
    public long msixTableOffset() {
        return spec.msix().map(MsixCapability::tableOffset).orElse(0L);
    }

    /** Size of the MSI-X table, 16 bytes per entry (0 without MSI-X). */
    public long msixTableSize() {
        return spec.msix().map(MsixCapability::tableSize).orElse(0L);
    }

    /** BAR holding the pending-bit array, or -1 without MSI-X. */
    public int msixPbaBar() {
        return spec.msix().map(MsixCapability::pbaBar).orElse(-1);
    }

    public long msixPbaOffset() {
        return spec.msix().map(MsixCapability::pbaOffset).orElse(0L);
    }

    public long msixPbaSize() {
        return spec.msix().map(MsixCapability::pbaSize).orElse(0L);
    }

    // ---- BAR access -----------------------------------------------------------------------

    /** Reads BAR {@code index} at {@code offset} as a load through the bus would (decode honoured). */
    public long barRead(int index, long offset, int width) {
        checkAccess(index, offset, width);
        return bars[index].isIo() ? bus.ioRead(bars[index].start() + offset, width)
                : bus.read(bars[index].start() + offset, width);
    }

    /** Writes BAR {@code index} at {@code offset} as a store through the bus would. */
    public void barWrite(int index, long offset, int width, long value) {
        checkAccess(index, offset, width);
        if (bars[index].isIo()) {
            bus.ioWrite(bars[index].start() + offset, width, value);
        } else {
            bus.write(bars[index].start() + offset, width, value);
        }
    }

    /**
     * The memory behind BAR {@code index}, bypassing decode: the device's own view, for tests
     * and device models that act on their registers. Empty for an unimplemented BAR.
     */
    public Optional<SparseMemory> barMemory(int index) {
        return Optional.ofNullable(barMemory[index]);
    }

    private void checkAccess(int index, long offset, int width) {
        PciBar b = bars[index];
        if (b.isEmpty()) {
            throw new IllegalArgumentException(name() + ": BAR" + index + " is not implemented");
        }
        if (offset < 0 || offset + width > b.size()) {
            throw new IllegalArgumentException(String.format("%s: BAR%d access 0x%x+%d outside 0x%x",
                    name(), index, offset, width, b.size()));
        }
    }

    // ---- reset ----------------------------------------------------------------------------

    /**
     * Function Level Reset. Afterwards: every configuration register is back at its power-on
     * value - command register 0 (memory and I/O decode off, bus master off), BAR and ROM BAR
     * address bits 0, MSI-X disabled - and every BAR's contents are back at their defaults
     * (zero, MSI-X entries masked). The ROM keeps its image; bus placement is unchanged.
     * Restoring the saved configuration is the caller's job (see {@link #pciResetFunction()}).
     */
    public void reset() {
        synchronized (config) {
            config.load(powerOnConfig);
            for (SparseMemory m : barMemory) {
                if (m != null) {
                    m.clear();
                }
            }
            initialiseMsixTable();
            resetCount++;
        }
    }

    /**
     * {@code pci_reset_function}: saves the configuration registers, performs {@link #reset()}
     * and restores them, so decode and BAR addresses come back while BAR contents stay reset.
     */
    @Models("drivers/pci/pci.c:pci_reset_function")
    public void pciResetFunction() {
        KernelProbe.here();
        synchronized (config) {
            byte[] saved = config.bytes();
            reset();
            config.load(saved);
        }
    }

    /** How many resets the function has gone through (for tests observing a driver). */
    public long resetCount() {
        synchronized (config) {
            return resetCount;
        }
    }

    // ---- construction helpers -------------------------------------------------------------

    private void synthesiseHeader() {
        config.set(Register.VENDOR_ID, spec.vendorId());
        config.set(Register.DEVICE_ID, spec.deviceId());
        config.set(Register.REVISION_ID, spec.revision());
        config.set(0x09, 1, spec.classCode() & 0xFF);
        config.set(Register.CLASS_DEVICE, spec.classCode() >> 8);
        config.set(Register.HEADER_TYPE, 0);
        config.set(Register.SUBSYSTEM_VENDOR_ID, spec.subsystemVendorId());
        config.set(Register.SUBSYSTEM_ID, spec.subsystemId());
        config.set(Register.INTERRUPT_PIN, spec.virtfn() ? 0 : 1);
        config.set(Register.COMMAND, decodeBits());
        if (spec.cfgSize() == 4096) {
            int at = config.addCapability(CapabilityId.EXP, EXP_CAP_LENGTH);
            config.set(at + 2, 2, 0x0002);
            config.set(at + EXP_DEVCAP, 4, spec.flrCapable() ? EXP_DEVCAP_FLR : 0);
            config.set(at + EXP_DEVCTL, 2, 0x2810);
        }
        spec.msix().ifPresent(m -> {
            int at = config.addCapability(CapabilityId.MSIX, MSIX_CAP_LENGTH);
            config.set(at + 2, 2, m.entries() - 1);
            config.set(at + 4, 4, m.tableRegister());
            config.set(at + 8, 4, m.pbaRegister());
        });
    }

    private void programBarRegisters() {
        for (int i = 0; i < 6; i++) {
            PciBar b = bars[i];
            int reg = Register.bar(i).offset();
            if (b.isEmpty()) {
                if (!isUpperHalf(i)) {
                    config.set(reg, 4, 0);
                }
                continue;
            }
            config.set(reg, 4, (b.start() & 0xFFFF_FFF0L) | b.registerTypeBits());
            if (b.isMem64()) {
                config.set(reg + 4, 4, b.start() >>> 32);
            }
        }
        if (rom.present() && !rom.shadow()) {
            config.set(Register.ROM_ADDRESS, rom.start() & 0xFFFF_F800L);
        } else {
            config.set(Register.ROM_ADDRESS, 0);
        }
    }

    private void declareWritableBits() {
        config.setWritable(Register.COMMAND.offset(), 2, Command.IO.mask() | Command.MEMORY.mask()
                | Command.BUS_MASTER.mask() | Command.PARITY.mask() | Command.SERR.mask()
                | Command.INTX_DISABLE.mask());
        config.setWriteOneToClear(Register.STATUS.offset(), 2, STATUS_RW1C);
        config.setWritable(Register.CACHE_LINE_SIZE.offset(), 1, 0xFF);
        config.setWritable(Register.INTERRUPT_LINE.offset(), 1, 0xFF);
        for (int i = 0; i < 6; i++) {
            PciBar b = bars[i];
            if (b.isEmpty()) {
                continue;
            }
            int reg = Register.bar(i).offset();
            long addrMask = ~(b.size() - 1);
            long low = b.isIo() ? addrMask & 0xFFFF_FFFCL : addrMask & 0xFFFF_FFF0L;
            config.setWritable(reg, 4, low);
            if (b.isMem64()) {
                config.setWritable(reg + 4, 4, addrMask >>> 32);
            }
        }
        if (rom.present() && !rom.shadow()) {
            config.setWritable(Register.ROM_ADDRESS.offset(), 4, (~(rom.size() - 1) & 0xFFFF_F800L) | 1);
        }
        if (msixCap != 0) {
            config.setWritable(msixCap + 2, 2, 0xC000);
        }
        if (expCap != 0) {
            config.setWritable(expCap + EXP_DEVCTL, 2, 0x7FFF);
        }
    }

    private static void clearAddresses(byte[] image) {
        image[Register.COMMAND.offset()] = 0;
        image[Register.COMMAND.offset() + 1] = 0;
        for (int i = 0; i < 6; i++) {
            int reg = Register.bar(i).offset();
            int typeBits = image[reg] & 0x0F;
            boolean io = (typeBits & 1) != 0;
            image[reg] = (byte) (io ? typeBits & 0x3 : typeBits);
            image[reg + 1] = 0;
            image[reg + 2] = 0;
            image[reg + 3] = 0;
        }
        for (int b = 0; b < 4; b++) {
            image[Register.ROM_ADDRESS.offset() + b] = 0;
        }
    }

    private void initialiseMsixTable() {
        spec.msix().ifPresent(m -> {
            SparseMemory mem = barMemory[m.tableBar()];
            for (int e = 0; e < m.entries(); e++) {
                long ctl = m.tableOffset() + 16L * e + 12;
                if (ctl + 4 <= mem.size()) {
                    mem.write(ctl, 4, 1);
                }
            }
        });
    }

    private static long allOnes(int width) {
        return width >= 8 ? -1L : (1L << (8 * width)) - 1;
    }

    /** Decodes one BAR: memory or I/O, gated by the command register. */
    private final class BarTarget implements BusTarget {
        private final int index;

        BarTarget(int index) {
            this.index = index;
        }

        @Override
        public long read(long offset, int width) {
            boolean on = bars[index] != null && bars[index].isIo() ? ioEnabled() : memoryEnabled();
            if (!on) {
                return allOnes(width);
            }
            return barMemory[index].read(offset, width);
        }

        @Override
        public void write(long offset, int width, long value) {
            boolean on = bars[index] != null && bars[index].isIo() ? ioEnabled() : memoryEnabled();
            if (!on) {
                return;
            }
            Optional<MsixCapability> m = spec.msix();
            if (m.isPresent() && m.get().overlapsPba(index, offset, width)) {
                return;
            }
            barMemory[index].write(offset, width, value);
        }
    }

    /** Decodes the ROM BAR: read-only, only with MEMORY and the ROM enable bit set. */
    private final class RomTarget implements BusTarget {
        @Override
        public long read(long offset, int width) {
            if (!memoryEnabled() || !romEnabled()) {
                return allOnes(width);
            }
            return rom.read(offset, width);
        }

        @Override
        public void write(long offset, int width, long value) {
            // a ROM ignores stores
        }
    }
    // ---- what vfio-pci-core asks of the PCI core beyond resources ------------------------

    /** {@code PCI_ROM_RESOURCE}: the resource index of the expansion ROM. */
    public static final int PCI_ROM_RESOURCE = 6;

    /** {@code pdev->pin}: the INTx pin from config space (0 = none). */
    public int interruptPin() {
        return config.interruptPin();
    }

    /** Whether the ROM is a shadow copy in system memory ({@code IORESOURCE_ROM_SHADOW}). */
    public boolean romShadow() {
        return rom.present() && rom.shadow();
    }

    /**
     * The size {@code pci_map_rom()} reports: the length of the image when it starts with the
     * 0x55AA signature ({@code pci_get_rom_size}), else 0, for which {@code pci_map_rom}
     * returns NULL. The model takes the whole image as one; the kernel walks chained images.
     */
    @Models("drivers/pci/rom.c:pci_map_rom")
    public long pciMapRomSize() {
        KernelProbe.here();
        if (!rom.present()) {
            return 0;
        }
        byte[] image = rom.image();
        if (image == null || image.length < 2 || (image[0] & 0xff) != 0x55
                || (image[1] & 0xff) != 0xaa) {
            return 0;
        }
        return Math.min(image.length, rom.size());
    }

    private SparseMemory vgaLegacy;

    private synchronized SparseMemory vgaLegacy() {
        if (vgaLegacy == null) {
            vgaLegacy = new SparseMemory(0xc0000);
        }
        return vgaLegacy;
    }

    /**
     * A VGA device's legacy resources at their identity addresses: memory 0xa0000-0xbffff and
     * ports 0x3b0-0x3bb, 0x3c0-0x3df (what {@code vga_get} routes to this device). Plain
     * registers: reads return what was written.
     */
    public long vgaRead(long pos, int width) {
        checkVga(pos, width);
        return vgaLegacy().read(pos, width);
    }

    /** Writes a VGA legacy resource; see {@link #vgaRead}. */
    public void vgaWrite(long pos, int width, long value) {
        checkVga(pos, width);
        vgaLegacy().write(pos, width, value);
    }

    private void checkVga(long pos, int width) {
        if (!isVga()) {
            throw new IllegalStateException(name() + " has no VGA legacy resources");
        }
        boolean mem = pos >= 0xa0000 && pos + width <= 0xc0000;
        boolean io = (pos >= 0x3b0 && pos + width <= 0x3bc) || (pos >= 0x3c0 && pos + width <= 0x3e0);
        if (!mem && !io) {
            throw new IllegalStateException(String.format("VGA access 0x%x+%d outside the legacy windows", pos, width));
        }
    }
}
