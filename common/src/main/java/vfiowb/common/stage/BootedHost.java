package vfiowb.common.stage;

import static vfiowb.common.errno.Errno.ENOENT;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PhysicalMemory;
import vfiowb.common.userspace.KernelFile;

/**
 * The part of booting a stage that is the same in every stage: a machine of one arch whose
 * devices, each bound by the stage's driver, open as new files. A stage adds each device with
 * the opener its VFIO core provides.
 */
public final class BootedHost implements VfioHost {
    private record Bound(Device hw, Supplier<KernelFile> opener, Supplier<KernelFile> cdevOpener) {}

    private final Arch arch;
    private final SystemBus bus;
    private final Map<String, Bound> devices;
    private final SeriesPolicy policy;

    public BootedHost(Arch arch, SystemBus bus) {
        this(arch, bus, SeriesPolicy.DEFAULT);
    }

    public BootedHost(Arch arch, SystemBus bus, SeriesPolicy policy) {
        this(arch, bus, policy, new LinkedHashMap<>());
    }

    private BootedHost(Arch arch, SystemBus bus, SeriesPolicy policy,
            Map<String, Bound> devices) {
        this.arch = Objects.requireNonNull(arch, "arch");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.devices = devices;
    }

    /**
     * The same machine and devices under another policy: for stages whose kernel does not read
     * the policy, only processes see the difference (their mm placement).
     */
    public BootedHost withPolicy(SeriesPolicy p) {
        return new BootedHost(arch, bus, p, devices);
    }

    @Override
    public SeriesPolicy policy() {
        return policy;
    }

    /**
     * Adds a bound device. {@code opener} opens a new file on it, throwing
     * {@link ErrnoException} when the driver's open fails.
     */
    public void add(String name, Device hw, Supplier<KernelFile> opener) {
        add(name, hw, opener, null);
    }

    /**
     * Adds a bound device that also opens through its cdev: {@code cdevOpener} gives a new file
     * not yet bound ({@link VfioHost#openCdev}).
     */
    public void add(String name, Device hw, Supplier<KernelFile> opener,
            Supplier<KernelFile> cdevOpener) {
        if (devices.putIfAbsent(name, new Bound(hw, opener, cdevOpener)) != null) {
            throw new IllegalArgumentException("device named twice: " + name);
        }
    }

    /** The bus the devices sit on. */
    public SystemBus bus() {
        return bus;
    }

    @Override
    public Arch arch() {
        return arch;
    }

    @Override
    public PhysicalMemory physicalMemory() {
        return bus;
    }

    @Override
    public KernelFile open(String deviceName) {
        Bound b = devices.get(deviceName);
        if (b == null) {
            throw new ErrnoException(ENOENT, "no device " + deviceName);
        }
        return b.opener().get();
    }

    @Override
    public KernelFile openCdev(String deviceName) {
        Bound b = devices.get(deviceName);
        if (b == null) {
            throw new ErrnoException(ENOENT, "no device " + deviceName);
        }
        if (b.cdevOpener() == null) {
            return VfioHost.super.openCdev(deviceName);
        }
        return b.cdevOpener().get();
    }

    @Override
    public List<String> deviceNames() {
        return Collections.unmodifiableList(new ArrayList<>(devices.keySet()));
    }

    @Override
    public Device device(String name) {
        Bound b = devices.get(name);
        if (b == null) {
            throw new ErrnoException(ENOENT, "no device " + name);
        }
        return b.hw();
    }
}
