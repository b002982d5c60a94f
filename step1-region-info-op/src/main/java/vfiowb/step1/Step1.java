package vfiowb.step1;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.step1.core.VfioDevice;
import vfiowb.step1.core.VfioDeviceCdev;
import vfiowb.step1.core.VfioDeviceFops;
import vfiowb.step1.core.VfioMain;

/**
 * Stage 1: {@code vfio_device_ops} gains {@code get_region_info_caps}; the core owns the
 * REGION_INFO copies for a driver that sets it (only vfio-pci's table so far) and falls back to
 * the driver's own ioctl for every other driver.
 *
 * <p>Upstream reached the same end in two passes (a transitional {@code get_region_info} op taking
 * the user pointer, then {@code get_region_info_caps}); the workbench's series adds the final op
 * first, so its stage 1 matches upstream's patch 15 applied to vfio-pci only.
 */
public final class Step1 implements Stage {
    @Override
    public int number() {
        return 1;
    }

    @Override
    public String module() {
        return "step1-region-info-op";
    }

    @Override
    public String title() {
        return "VFIO_DEVICE_GET_REGION_INFO gets its own op, get_region_info_caps; vfio-pci uses it";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio: Add get_region_info_caps op",
                "vfio/pci: Convert vfio_pci_ops to get_region_info_caps");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.step1";
    }

    @Override
    public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
        SystemBus bus = new SystemBus(arch);
        BootedHost host = new BootedHost(arch, bus);
        for (DeviceSpec spec : devices) {
            Device hw = spec.create(bus);
            VfioDevice vdev = DriverRegistry.probe(spec.opsTable(), hw, arch);
            host.add(spec.name(), hw,
                    () -> new VfioDeviceFops(VfioMain.vfioDeviceOpenFile(vdev)),
                    () -> new VfioDeviceFops(VfioDeviceCdev.vfioDeviceFopsCdevOpen(vdev)));
        }
        return host;
    }
}
