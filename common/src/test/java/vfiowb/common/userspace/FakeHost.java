package vfiowb.common.userspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PhysicalMemory;
import vfiowb.common.stage.VfioHost;

/** A {@link VfioHost} of test devices on a real {@link SystemBus}. */
final class FakeHost implements VfioHost {
    private final Arch arch;
    private final SystemBus bus = new SystemBus();
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final Map<String, Function<Device, KernelFile>> openers = new LinkedHashMap<>();

    FakeHost(Arch arch) {
        this.arch = arch;
    }

    SystemBus bus() {
        return bus;
    }

    /** A RAM device of {@code size} bytes at a physical address aligned to {@code align}. */
    RamDevice addRam(String name, long size, long align, RamDevice.Mode mode) {
        RamDevice d = new RamDevice(name, arch, bus, size, align, mode);
        add(d, dev -> new RamFile((RamDevice) dev));
        return d;
    }

    /** Any device with its own file factory (e.g. a Mockito mock). */
    void add(Device d, Function<Device, KernelFile> opener) {
        devices.put(d.name(), d);
        openers.put(d.name(), opener);
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
        Function<Device, KernelFile> f = openers.get(deviceName);
        if (f == null) {
            throw new ErrnoException(Errno.ENOENT, deviceName);
        }
        return f.apply(devices.get(deviceName));
    }

    @Override
    public List<String> deviceNames() {
        return new ArrayList<>(devices.keySet());
    }

    @Override
    public Device device(String name) {
        Device d = devices.get(name);
        if (d == null) {
            throw new ErrnoException(Errno.ENOENT, name);
        }
        return d;
    }
}
