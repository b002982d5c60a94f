package vfiowb.common.hw;

import static vfiowb.common.errno.Errno.EAGAIN;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
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
 * sysfs config image keeps that image's command register, minus BUS_MASTER).
 *
 * <p>Reset: {@link #reset()} is what the hardware does on any conventional reset (FLR, AF FLR,
 * the D3hot to D0 transition without No_Soft_Reset, a secondary bus reset). Config writes
 * trigger it the way the device would (PCIe Initiate FLR, AF FLR, PMCSR D3hot to D0), and the
 * PCI core's reset methods ({@link #resetMethods()}, {@link #pciTryResetFunction()}) are
 * modelled on top, calling the bound driver's {@link PciErrorHandlers} around the reset.
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
    private static final int PCI_PM_CTRL = 4;
    private static final int PM_CTRL_STATE_MASK = 0x3;
    private static final int PM_D3HOT = 3;
    private static final int PM_CTRL_NO_SOFT_RESET = 0x0008;
    private static final int AF_CAP_LENGTH = 6;
    private static final int PCI_AF_LENGTH = 2;
    private static final int PCI_AF_CAP = 3;
    private static final int PCI_AF_CTRL = 4;
    private static final int AF_CAP_TP = 0x01;
    private static final int AF_CAP_FLR = 0x02;
    private static final int AF_CTRL_FLR = 0x01;
    private static final int MSI_FLAGS_ENABLE_AND_QSIZE = 0x0071;
    private static final int MSI_FLAGS_64BIT = 0x0080;
    private static final long ROM_ADDRESS_MASK = 0xFFFF_F800L;
    private static final long ROM_SIGNATURE = 0xAA55;
    private static final int EXT_CAP_ID_SRIOV = 0x10;

    /**
     * The function-level reset methods of {@code pci_reset_fn_methods} the model knows, in the
     * order the PCI core tries them ({@code device_specific} quirks, ACPI {@code _RST} and CXL
     * bus reset are not modelled).
     */
    public enum ResetMethod {
        FLR("flr"), AF_FLR("af_flr"), PM("pm"), BUS("bus");

        private final String sysfsName;

        ResetMethod(String sysfsName) {
            this.sysfsName = sysfsName;
        }

        /** The name sysfs {@code reset_method} shows. */
        public String sysfsName() {
            return sysfsName;
        }
    }

    private final PciFunctionSpec spec;
    private final SystemBus bus;
    private final PciBar[] bars = new PciBar[6];
    private final SparseMemory[] barMemory = new SparseMemory[6];
    private final PciRom rom;
    private final PciConfigSpace config;
    private final byte[] powerOnConfig;
    private final int expCap;
    private final int msixCap;
    private final int msiCap;
    private final int pmCap;
    private final int afCap;
    private final List<ResetMethod> resetMethods;
    /** {@code pci_dev_lock}: held across a function reset; {@code pci_dev_trylock} fails on it. */
    private final ReentrantLock devLock = new ReentrantLock();
    private volatile PciErrorHandlers errHandler = PciErrorHandlers.NONE;
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
        msiCap = config.findCapability(CapabilityId.MSI).orElse(0);
        pmCap = config.findCapability(CapabilityId.PM).orElse(0);
        afCap = config.findCapability(CapabilityId.AF).orElse(0);
        programBarRegisters();
        declareWritableBits();

        byte[] image = config.bytes();
        clearAddresses(image);
        powerOnConfig = image;
        initialiseMsixTable();
        resetMethods = pciInitResetMethods();
    }

    private PciBar placeBar(int i) {
        PciBar b = spec.bar(i);
        if (b.isEmpty()) {
            return b;
        }
        SystemBus.Window window = window(b);
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

    /**
     * Where the PCI core assigns BAR {@code b}: I/O space, or 64- or 32-bit MMIO. Called from the
     * constructor, so an override must not read its own fields.
     */
    protected SystemBus.Window window(PciBar b) {
        return b.isIo() ? SystemBus.Window.IO_PORT
                : b.isMem64() ? SystemBus.Window.MMIO64 : SystemBus.Window.MMIO32;
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

    /**
     * {@code pdev->is_physfn}: an SR-IOV physical function, i.e. one whose extended capability
     * list holds an SR-IOV capability ({@code PCI_EXT_CAP_ID_SRIOV}, 0x10). The model creates
     * no VFs from it.
     */
    public boolean isPhysfn() {
        return config.extendedCapabilities().stream().anyMatch(c -> c.id() == EXT_CAP_ID_SRIOV);
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

    /** {@code pdev->msi_cap}: config offset of the MSI capability, 0 without one. */
    public int msiCap() {
        return msiCap;
    }

    /** {@code pdev->msix_cap}: config offset of the MSI-X capability, 0 without one. */
    public int msixCap() {
        return msixCap;
    }

    /** {@code pdev->pm_cap}: config offset of the Power Management capability, 0 without one. */
    public int pmCap() {
        return pmCap;
    }

    /** Config offset of the Advanced Features capability, 0 without one. */
    public int afCap() {
        return afCap;
    }

    /** Where the function sits in the hierarchy (declared: the model has no bridges). */
    public BusPlacement placement() {
        return spec.placement();
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
     * Express device control register, or FLR in the Advanced Features control register,
     * performs {@link #reset()}; so does a PMCSR write moving the function from D3hot to D0
     * when its No_Soft_Reset bit is clear (the PM specification's internal reset). Other power
     * states are stored but have no effect on decode.
     */
    public void configWrite(int offset, int width, long value) {
        boolean flr = expCap != 0 && flrCapable()
                && writesBit(offset, width, value, expCap + EXP_DEVCTL + 1, EXP_DEVCTL_BCR_FLR >> 8);
        boolean afFlr = afCap != 0 && afFlrCapable()
                && writesBit(offset, width, value, afCap + PCI_AF_CTRL, AF_CTRL_FLR);
        synchronized (config) {
            int oldState = pmCap != 0 ? pmState() : 0;
            config.write(offset, width, value);
            if (flr || afFlr) {
                reset();
                return;
            }
            if (pmCap != 0 && oldState == PM_D3HOT && pmState() == 0
                    && (config.read(pmCap + PCI_PM_CTRL, 2) & PM_CTRL_NO_SOFT_RESET) == 0) {
                reset();
            }
        }
    }

    private static boolean writesBit(int offset, int width, long value, int at, int bit) {
        return offset <= at && offset + width > at && ((value >>> (8 * (at - offset))) & bit) != 0;
    }

    private int pmState() {
        return (int) config.read(pmCap + PCI_PM_CTRL, 2) & PM_CTRL_STATE_MASK;
    }

    private boolean afFlrCapable() {
        long cap = config.read(afCap + PCI_AF_CAP, 1);
        return (cap & AF_CAP_TP) != 0 && (cap & AF_CAP_FLR) != 0;
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
        SystemBus.Window w = window(bars[index]);
        return w == SystemBus.Window.IO_PORT ? bus.ioRead(bars[index].start() + offset, width)
                : w == SystemBus.Window.ZPCI_IOMAP ? bus.iomapRead(bars[index].start() + offset, width)
                : bus.read(bars[index].start() + offset, width);
    }

    /** Writes BAR {@code index} at {@code offset} as a store through the bus would. */
    public void barWrite(int index, long offset, int width, long value) {
        checkAccess(index, offset, width);
        SystemBus.Window w = window(bars[index]);
        if (w == SystemBus.Window.IO_PORT) {
            bus.ioWrite(bars[index].start() + offset, width, value);
        } else if (w == SystemBus.Window.ZPCI_IOMAP) {
            bus.iomapWrite(bars[index].start() + offset, width, value);
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
     * Saves the configuration registers, performs {@link #reset()} and restores them, so decode
     * and BAR addresses come back while BAR contents stay reset - whatever reset methods the
     * function has and without the driver's hooks. The stages that do not yet model the PCI
     * core's reset methods call this; {@link #pciTryResetFunction()} is the kernel's path.
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

    /**
     * {@code pdev->driver->err_handler}: the hooks of the PCI driver bound to the function, set
     * by the driver's probe ({@link PciErrorHandlers#NONE} by default).
     */
    public void setDriverErrHandler(PciErrorHandlers handlers) {
        errHandler = handlers == null ? PciErrorHandlers.NONE : handlers;
    }

    /**
     * {@code pcie_reset_flr}: -ENOTTY unless the PCI Express capability advertises FLR; else
     * {@code pcie_flr} sets Initiate Function Level Reset in the device control register.
     */
    @Models({"drivers/pci/pci.c:pcie_reset_flr", "drivers/pci/pci.c:pcie_flr"})
    int pcieResetFlr(boolean probe) {
        if (!flrCapable()) {
            return -ENOTTY;
        }
        if (probe) {
            return 0;
        }
        configWrite(expCap + EXP_DEVCTL, 2, configRead(expCap + EXP_DEVCTL, 2) | EXP_DEVCTL_BCR_FLR);
        return 0;
    }

    /**
     * {@code pci_af_flr}: -ENOTTY without an Advanced Features capability advertising both
     * Transactions Pending and FLR; else sets FLR in its control register.
     */
    @Models("drivers/pci/pci.c:pci_af_flr")
    int pciAfFlr(boolean probe) {
        if (afCap == 0 || !afFlrCapable()) {
            return -ENOTTY;
        }
        if (probe) {
            return 0;
        }
        configWrite(afCap + PCI_AF_CTRL, 1, AF_CTRL_FLR);
        return 0;
    }

    /**
     * {@code pci_pm_reset}: -ENOTTY without a PM capability or with {@code No_Soft_Reset} set in
     * PMCSR; -EINVAL unless the function is in D0; else PMCSR to D3hot and back to D0, whose
     * internal reset does the work (the kernel's d3hot delays and readiness wait take no time
     * here).
     */
    @Models("drivers/pci/pci.c:pci_pm_reset")
    int pciPmReset(boolean probe) {
        if (pmCap == 0) {
            return -ENOTTY;
        }
        long csr = configRead(pmCap + PCI_PM_CTRL, 2);
        if ((csr & PM_CTRL_NO_SOFT_RESET) != 0) {
            return -ENOTTY;
        }
        if (probe) {
            return 0;
        }
        if ((csr & PM_CTRL_STATE_MASK) != 0) {
            return -EINVAL;
        }
        configWrite(pmCap + PCI_PM_CTRL, 2, (csr & ~PM_CTRL_STATE_MASK) | PM_D3HOT);
        configWrite(pmCap + PCI_PM_CTRL, 2, csr & ~PM_CTRL_STATE_MASK);
        return 0;
    }

    /**
     * {@code pci_reset_bus_function}: a hotplug slot's reset, else {@code pci_parent_bus_reset}
     * (the bridge above resets its secondary bus). Both need the function alone on a bus below
     * a bridge; the model has no topology and takes that from the declared
     * {@link #placement()}: -ENOTTY on a root bus (no bridge above: the q35 root-bus devices of
     * the real-kernel transcripts report no reset) or on a shared bus.
     */
    @Models({"drivers/pci/pci.c:pci_reset_bus_function", "drivers/pci/pci.c:pci_parent_bus_reset"})
    int pciResetBusFunction(boolean probe) {
        if (!placement().busResetPossible()) {
            return -ENOTTY;
        }
        if (probe) {
            return 0;
        }
        reset();
        return 0;
    }

    private int resetMethod(ResetMethod m, boolean probe) {
        switch (m) {
            case FLR:
                return pcieResetFlr(probe);
            case AF_FLR:
                return pciAfFlr(probe);
            case PM:
                return pciPmReset(probe);
            case BUS:
                return pciResetBusFunction(probe);
            default:
                throw new IllegalStateException("unknown reset method " + m);
        }
    }

    /** {@code pci_init_reset_methods}: every method whose probe succeeds, in order. */
    @Models("drivers/pci/pci.c:pci_init_reset_methods")
    private List<ResetMethod> pciInitResetMethods() {
        List<ResetMethod> l = new ArrayList<>();
        for (ResetMethod m : ResetMethod.values()) {
            if (resetMethod(m, true) == 0) {
                l.add(m);
            }
        }
        return Collections.unmodifiableList(l);
    }

    /** {@code dev->reset_methods}: what sysfs {@code reset_method} lists, probed at enumeration. */
    public List<ResetMethod> resetMethods() {
        return resetMethods;
    }

    /** {@code pci_reset_supported}: whether any reset method was found. */
    @Models("drivers/pci/pci.c:pci_reset_supported")
    public boolean pciResetSupported() {
        return !resetMethods.isEmpty();
    }

    /**
     * {@code __pci_reset_function_locked}: each method in order; the first that does not answer
     * -ENOTTY decides; -ENOTTY when none applies. No driver hooks, no save or restore.
     */
    @Models("drivers/pci/pci.c:__pci_reset_function_locked")
    public int pciResetFunctionLocked() {
        synchronized (config) {
            for (ResetMethod m : resetMethods) {
                int rc = resetMethod(m, false);
                if (rc != -ENOTTY) {
                    return rc;
                }
            }
            return -ENOTTY;
        }
    }

    /**
     * {@code pci_try_reset_function}: -ENOTTY without a reset method, -EAGAIN when the device
     * lock is held; else {@code pci_dev_save_and_disable} (the driver's {@code reset_prepare},
     * save config space, command register to INTx-disable only),
     * {@link #pciResetFunctionLocked()}, {@code pci_dev_restore} (restore config space, the
     * driver's {@code reset_done}).
     *
     * @return 0 or a negative errno
     */
    @Models({"drivers/pci/pci.c:pci_try_reset_function", "drivers/pci/pci.c:pci_dev_save_and_disable",
            "drivers/pci/pci.c:pci_dev_restore"})
    public int pciTryResetFunction() {
        KernelProbe.here();
        if (!pciResetSupported()) {
            return -ENOTTY;
        }
        if (!devLock.tryLock()) {
            return -EAGAIN;
        }
        try {
            PciErrorHandlers h = errHandler;
            h.resetPrepare(this);
            int rc;
            synchronized (config) {
                byte[] saved = config.bytes();
                config.write(Register.COMMAND, Command.INTX_DISABLE.mask());
                rc = pciResetFunctionLocked();
                config.load(saved);
            }
            h.resetDone(this);
            return rc;
        } finally {
            devLock.unlock();
        }
    }

    /**
     * The reset {@code vfio_pci_core_disable} does on close: {@link #pciResetFunctionLocked()}
     * with the saved config space restored after it, and no driver hooks.
     *
     * @return 0 or the reset's negative errno (config space is restored either way)
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_disable")
    public int pciResetFunctionLockedAndRestore() {
        if (!devLock.tryLock()) {
            return -EAGAIN;
        }
        try {
            synchronized (config) {
                byte[] saved = config.bytes();
                config.write(Register.COMMAND, Command.INTX_DISABLE.mask());
                int rc = pciResetFunctionLocked();
                config.load(saved);
                return rc;
            }
        } finally {
            devLock.unlock();
        }
    }

    /**
     * {@code pci_dev_lock}: takes the device lock as another kernel path does while it works on
     * the function (a sysfs reset, an error recovery); {@link #pciTryResetFunction()} answers
     * -EAGAIN to everyone else until {@link #pciDevUnlock()}. Reentrant, as the model's lock is.
     */
    @Models("drivers/pci/pci.c:pci_dev_lock")
    public void pciDevLock() {
        devLock.lock();
    }

    /** {@code pci_dev_unlock}: releases what {@link #pciDevLock()} took. */
    @Models("drivers/pci/pci.c:pci_dev_unlock")
    public void pciDevUnlock() {
        devLock.unlock();
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
        spec.pm().ifPresent(p -> {
            int at = config.addCapability(CapabilityId.PM, PmCapability.length());
            config.set(at + 2, 2, p.pmc());
            config.set(at + PCI_PM_CTRL, 2, p.pmcsr());
        });
        spec.msi().ifPresent(m -> {
            int at = config.addCapability(CapabilityId.MSI, m.length());
            config.set(at + 2, 2, m.flags());
        });
        if (spec.afFlr()) {
            int at = config.addCapability(CapabilityId.AF, AF_CAP_LENGTH);
            config.set(at + PCI_AF_LENGTH, 1, AF_CAP_LENGTH);
            config.set(at + PCI_AF_CAP, 1, AF_CAP_TP | AF_CAP_FLR);
        }
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
        if (pmCap != 0) {
            config.setWritable(pmCap + PCI_PM_CTRL, 2, PM_CTRL_STATE_MASK);
        }
        if (msiCap != 0) {
            boolean addr64 = (config.read(msiCap + 2, 2) & MSI_FLAGS_64BIT) != 0;
            config.setWritable(msiCap + 2, 2, MSI_FLAGS_ENABLE_AND_QSIZE);
            config.setWritable(msiCap + 4, 4, 0xFFFF_FFFCL);
            if (addr64) {
                config.setWritable(msiCap + 8, 4, 0xFFFF_FFFFL);
            }
            config.setWritable(msiCap + (addr64 ? 12 : 8), 2, 0xFFFF);
        }
        if (afCap != 0) {
            config.setWritable(afCap + PCI_AF_CTRL, 1, AF_CTRL_FLR);
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
     * The size {@code pci_map_rom()} reports when the ROM can be read: the length of the image
     * when it starts with the 0x55AA signature ({@code pci_get_rom_size}), else 0, for which
     * {@code pci_map_rom} returns NULL. The model takes the whole image as one; the kernel walks
     * chained images. This ignores memory decode; {@link #pciMapRom()} does not.
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

    /**
     * {@code pci_map_rom} followed by {@code pci_unmap_rom}, as the caller sees it: the size
     * {@link #pciMapRomSize()} gives, or 0 (NULL) when the ROM cannot be read. For a ROM BAR the
     * kernel sets the ROM enable bit ({@code pci_enable_rom}) and checks the signature through
     * the bus, so with the command register's MEMORY bit clear the read is a master abort, all
     * ones, and the map fails; the enable bit is cleared again afterwards
     * ({@code pci_disable_rom}). A shadow ROM is a copy in RAM at 0xC0000, read whatever the
     * device decodes.
     */
    @Models({"drivers/pci/rom.c:pci_map_rom", "drivers/pci/rom.c:pci_enable_rom",
            "drivers/pci/rom.c:pci_get_rom_size"})
    public long pciMapRom() {
        KernelProbe.here();
        if (!rom.present()) {
            return 0;
        }
        if (rom.shadow()) {
            return pciMapRomSize();
        }
        synchronized (config) {
            long saved = config.read(Register.ROM_ADDRESS);
            config.write(Register.ROM_ADDRESS, (rom.start() & ROM_ADDRESS_MASK) | 1);
            try {
                if (bus.read(rom.start(), 2) != ROM_SIGNATURE) {
                    return 0;
                }
                return pciMapRomSize();
            } finally {
                config.write(Register.ROM_ADDRESS, saved);
            }
        }
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
