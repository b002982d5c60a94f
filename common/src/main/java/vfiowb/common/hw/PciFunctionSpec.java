package vfiowb.common.hw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An immutable description of a PCI function - IDs, class, BAR layout, ROM, MSI, MSI-X, power
 * management and reset capabilities, config size, place in the bus hierarchy - that
 * {@link #create} turns into a live {@link PciFunction} with its BARs placed on a bus.
 * Catalogue entries and sysfs-derived devices are both built with {@link #builder}.
 *
 * <p>For a function built from a config image ({@link #configTemplate()}) the image is the
 * truth: MSI, PM and FLR are whatever its capability list says, and {@link #msi()} and
 * {@link #pm()} only describe it.
 */
public final class PciFunctionSpec implements DeviceSpec {

    /** Builds the live function; device-specific subclasses of {@link PciFunction} plug in here. */
    @FunctionalInterface
    public interface Factory {
        PciFunction create(PciFunctionSpec spec, SystemBus bus);
    }

    private final String name;
    private final String driver;
    private final String opsTable;
    private final String description;
    private final int vendorId;
    private final int deviceId;
    private final int subsystemVendorId;
    private final int subsystemId;
    private final int classCode;
    private final int revision;
    private final int cfgSize;
    private final boolean virtfn;
    private final boolean flrCapable;
    private final List<PciBar> bars;
    private final long[] barAlignment;
    private final boolean[] offPage;
    private final PciRom rom;
    private final MsixCapability msix;
    private final MsiCapability msi;
    private final PmCapability pm;
    private final boolean afFlr;
    private final BusPlacement placement;
    private final byte[] configTemplate;
    private final Factory factory;

    private PciFunctionSpec(Builder b) {
        name = b.name;
        driver = b.driver;
        opsTable = b.opsTable;
        description = b.description;
        vendorId = b.vendorId;
        deviceId = b.deviceId;
        subsystemVendorId = b.subsystemVendorId;
        subsystemId = b.subsystemId;
        classCode = b.classCode;
        revision = b.revision;
        cfgSize = b.cfgSize;
        virtfn = b.virtfn;
        flrCapable = b.flrCapable;
        bars = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(b.bars)));
        barAlignment = b.barAlignment.clone();
        offPage = b.offPage.clone();
        rom = b.rom;
        msix = b.msix;
        msi = b.msi;
        pm = b.pm;
        afFlr = b.afFlr;
        placement = b.placement != null ? b.placement
                : b.virtfn ? BusPlacement.SHARED_BUS : BusPlacement.ROOT_BUS;
        configTemplate = b.configTemplate == null ? null : b.configTemplate.clone();
        factory = b.factory;
    }

    /** Starts a spec for a function called {@code name}, bound by vfio-pci unless told otherwise. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding everything this spec says, to derive a variant from. */
    public Builder toBuilder(String newName) {
        Builder b = new Builder(newName);
        b.driver = driver;
        b.opsTable = opsTable;
        b.description = description;
        b.vendorId = vendorId;
        b.deviceId = deviceId;
        b.subsystemVendorId = subsystemVendorId;
        b.subsystemId = subsystemId;
        b.classCode = classCode;
        b.revision = revision;
        b.cfgSize = cfgSize;
        b.virtfn = virtfn;
        b.flrCapable = flrCapable;
        b.bars = bars.toArray(new PciBar[0]);
        b.barAlignment = barAlignment.clone();
        b.offPage = offPage.clone();
        b.rom = rom;
        b.msix = msix;
        b.msi = msi;
        b.pm = pm;
        b.afFlr = afFlr;
        b.placement = placement;
        b.configTemplate = configTemplate == null ? null : configTemplate.clone();
        b.factory = factory;
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return driver;
    }

    @Override
    public String opsTable() {
        return opsTable;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public PciFunction create(SystemBus bus) {
        return factory.create(this, bus);
    }

    public int vendorId() {
        return vendorId;
    }

    public int deviceId() {
        return deviceId;
    }

    public int subsystemVendorId() {
        return subsystemVendorId;
    }

    public int subsystemId() {
        return subsystemId;
    }

    /** 24-bit class code (base class, subclass, programming interface). */
    public int classCode() {
        return classCode;
    }

    public int revision() {
        return revision;
    }

    /** {@code pdev->cfg_size}: 256 for conventional PCI, 4096 for PCI Express. */
    public int cfgSize() {
        return cfgSize;
    }

    /** Whether the function is an SR-IOV virtual function. */
    public boolean virtfn() {
        return virtfn;
    }

    /** Whether the PCI Express capability advertises Function Level Reset. */
    public boolean flrCapable() {
        return flrCapable;
    }

    /** All six BARs, unplaced ({@code start} 0); unimplemented ones are {@link PciBar.Kind#NONE}. */
    public List<PciBar> bars() {
        return bars;
    }

    public PciBar bar(int index) {
        return bars.get(index);
    }

    /** The placement alignment asked for BAR {@code index}: at least its size. */
    public long barAlignment(int index) {
        return Math.max(barAlignment[index], bars.get(index).size());
    }

    /** Whether BAR {@code index} (sub-page) is to be placed at a start that is not page aligned. */
    public boolean offPage(int index) {
        return offPage[index];
    }

    public PciRom rom() {
        return rom;
    }

    public Optional<MsixCapability> msix() {
        return Optional.ofNullable(msix);
    }

    /** The MSI capability, empty when the function has none. */
    public Optional<MsiCapability> msi() {
        return Optional.ofNullable(msi);
    }

    /** The Power Management capability, empty when the function has none. */
    public Optional<PmCapability> pm() {
        return Optional.ofNullable(pm);
    }

    /** Whether an Advanced Features capability advertises Transactions Pending and FLR. */
    public boolean afFlr() {
        return afFlr;
    }

    /**
     * Where the function sits ({@link BusPlacement}); by default a VF shares its PF's bus and
     * every other function is on a root bus, as QEMU's q35 places devices plugged without a
     * root port.
     */
    public BusPlacement placement() {
        return placement;
    }

    /** The config bytes a sysfs {@code config} file supplied, or empty for a synthesised header. */
    public Optional<byte[]> configTemplate() {
        return configTemplate == null ? Optional.empty() : Optional.of(configTemplate.clone());
    }

    @Override
    public String toString() {
        return "PciFunctionSpec[" + name + " " + String.format("%04x:%04x", vendorId, deviceId)
                + " " + opsTable + "]";
    }

    /** Collects a spec; {@link #build} checks it. */
    public static final class Builder {
        private final String name;
        private String driver = "vfio-pci";
        private String opsTable = "vfio_pci_ops";
        private String description = "";
        private int vendorId = -1;
        private int deviceId = -1;
        private int subsystemVendorId;
        private int subsystemId;
        private int classCode = -1;
        private int revision;
        private int cfgSize = 4096;
        private boolean virtfn;
        private boolean flrCapable = true;
        private PciBar[] bars = new PciBar[6];
        private long[] barAlignment = new long[6];
        private boolean[] offPage = new boolean[6];
        private PciRom rom = PciRom.none();
        private MsixCapability msix;
        private MsiCapability msi;
        private PmCapability pm;
        private boolean afFlr;
        private BusPlacement placement;
        private byte[] configTemplate;
        private Factory factory = PciFunction::new;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a device needs a name");
            }
            this.name = name;
            for (int i = 0; i < 6; i++) {
                bars[i] = PciBar.none(i);
            }
        }

        /** The module and {@code vfio_device_ops} table that bind (default vfio-pci). */
        public Builder driver(String module, String ops) {
            this.driver = module;
            this.opsTable = ops;
            return this;
        }

        public Builder description(String text) {
            this.description = text;
            return this;
        }

        public Builder ids(int vendor, int device) {
            this.vendorId = checkU16(vendor, "vendor");
            this.deviceId = checkU16(device, "device");
            return this;
        }

        public Builder subsystem(int vendor, int device) {
            this.subsystemVendorId = checkU16(vendor, "subsystem vendor");
            this.subsystemId = checkU16(device, "subsystem");
            return this;
        }

        /** 24-bit class code, e.g. {@code 0x030000} for a VGA controller. */
        public Builder classCode(int code) {
            if (code < 0 || code > 0xFF_FFFF) {
                throw new IllegalArgumentException("class code is 24 bits: " + code);
            }
            this.classCode = code;
            return this;
        }

        public Builder revision(int rev) {
            if (rev < 0 || rev > 0xFF) {
                throw new IllegalArgumentException("revision is 8 bits: " + rev);
            }
            this.revision = rev;
            return this;
        }

        /** PCI Express: 4096 bytes of config space and a PCI Express capability (the default). */
        public Builder pcie() {
            this.cfgSize = 4096;
            return this;
        }

        /** Conventional PCI: 256 bytes of config space, no PCI Express capability. */
        public Builder conventional() {
            this.cfgSize = 256;
            this.flrCapable = false;
            return this;
        }

        public Builder virtfn() {
            this.virtfn = true;
            return this;
        }

        public Builder noFlr() {
            this.flrCapable = false;
            return this;
        }

        /** Declares one BAR; a 64-bit BAR also reserves the next index as its upper half. */
        public Builder bar(PciBar bar) {
            int i = bar.index();
            if (!bars[i].isEmpty()) {
                throw new IllegalArgumentException("BAR" + i + " declared twice");
            }
            if (i > 0 && bars[i - 1].isMem64()) {
                throw new IllegalArgumentException("BAR" + i + " is the upper half of 64-bit BAR" + (i - 1));
            }
            if (bar.isMem64() && !bars[i + 1].isEmpty()) {
                throw new IllegalArgumentException("64-bit BAR" + i + " needs BAR" + (i + 1) + " free");
            }
            if (bar.start() != 0) {
                throw new IllegalArgumentException("a spec's BARs are unplaced");
            }
            bars[i] = bar;
            return this;
        }

        /** Places BAR {@code index} at a multiple of {@code alignment} (e.g. a page for a sub-page BAR). */
        public Builder alignBar(int index, long alignment) {
            if (alignment <= 0 || Long.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
            }
            barAlignment[index] = alignment;
            return this;
        }

        /** Places sub-page BAR {@code index} at a start that is not page aligned. */
        public Builder offPage(int index) {
            offPage[index] = true;
            return this;
        }

        public Builder rom(PciRom r) {
            if (r.start() != 0 && !r.shadow()) {
                throw new IllegalArgumentException("a spec's ROM is unplaced");
            }
            this.rom = r;
            return this;
        }

        public Builder msix(MsixCapability cap) {
            this.msix = cap;
            return this;
        }

        /** An MSI capability in the synthesised header. */
        public Builder msi(MsiCapability cap) {
            this.msi = cap;
            return this;
        }

        /** A Power Management capability in the synthesised header. */
        public Builder pm(PmCapability cap) {
            this.pm = cap;
            return this;
        }

        /** An Advanced Features capability with Transactions Pending and FLR (conventional PCI). */
        public Builder afFlr() {
            this.afFlr = true;
            return this;
        }

        /** Where the function sits; see {@link PciFunctionSpec#placement()}. */
        public Builder placement(BusPlacement p) {
            this.placement = p;
            return this;
        }

        /** Config bytes to start from (a sysfs {@code config} file); its length sets the config size. */
        public Builder configTemplate(byte[] bytes) {
            if (bytes.length != 256 && bytes.length != 4096) {
                throw new IllegalArgumentException("config template must be 256 or 4096 bytes");
            }
            this.configTemplate = bytes.clone();
            this.cfgSize = bytes.length;
            return this;
        }

        public Builder factory(Factory f) {
            this.factory = f;
            return this;
        }

        public PciFunctionSpec build() {
            if (vendorId < 0 || deviceId < 0) {
                throw new IllegalArgumentException(name + ": vendor and device IDs missing");
            }
            if (classCode < 0) {
                throw new IllegalArgumentException(name + ": class code missing");
            }
            if (msix != null) {
                checkMsixBar(msix.tableBar(), "table");
                checkMsixBar(msix.pbaBar(), "PBA");
            }
            for (int i = 0; i < 6; i++) {
                if (offPage[i] && (bars[i].isEmpty() || bars[i].isIo() || bars[i].size() >= 4096)) {
                    throw new IllegalArgumentException(name + ": only a sub-page memory BAR can be off-page");
                }
                if (offPage[i] && barAlignment[i] >= 4096) {
                    throw new IllegalArgumentException(name + ": BAR" + i + " both page aligned and off-page");
                }
            }
            if (rom.shadow() && (classCode >> 8) != 0x0300) {
                throw new IllegalArgumentException(name + ": only a VGA device has a shadow ROM");
            }
            return new PciFunctionSpec(this);
        }

        private void checkMsixBar(int bir, String what) {
            if (!bars[bir].isMem()) {
                throw new IllegalArgumentException(String.format(
                        "%s: MSI-X %s BIR %d names an unimplemented or I/O BAR", name, what, bir));
            }
        }

        private static int checkU16(int v, String what) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException(what + " ID is 16 bits: " + v);
            }
            return v;
        }
    }
}
