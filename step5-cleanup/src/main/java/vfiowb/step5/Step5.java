package vfiowb.step5;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.step5.core.VfioDevice;
import vfiowb.step5.core.VfioDeviceCdev;
import vfiowb.step5.core.VfioDeviceFops;
import vfiowb.step5.core.VfioMain;

/**
 * Stage 5: the old APIs removed. {@code struct vfio_device_ops} loses {@code read},
 * {@code write}, {@code mmap} and {@code get_region_info_caps}; the core loses every path that
 * handed a driver a file offset; every driver's offset encoding (the VFIO_PCI_OFFSET_SHIFT family
 * and the platform, fsl-mc, cdx, ccw, gvt, mtty, ism, mdpy and mbochs layouts) is deleted, and
 * vfio-pci reaches a device-specific region through its cookie instead of by index.
 */
public final class Step5 implements Stage {
    @Override
    public int number() {
        return 5;
    }

    @Override
    public String module() {
        return "step5-cleanup";
    }

    @Override
    public String title() {
        return "Remove the old mmap, read, write and region-info ops and the offset encodings";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio: Remove the read, write, mmap and get_region_info_caps ops",
                "vfio/pci: Remove the 40-bit offset layout; reach device regions through the cookie");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.step5";
    }

    @Override
    public List<String> policyKnobs() {
        return SeriesPolicy.knobs();
    }

    @Override
    public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
        return boot(arch, devices, SeriesPolicy.DEFAULT);
    }

    @Override
    public VfioHost boot(Arch arch, List<DeviceSpec> devices, SeriesPolicy policy) {
        SystemBus bus = new SystemBus(arch);
        BootedHost host = new BootedHost(arch, bus, policy);
        for (DeviceSpec spec : devices) {
            Device hw = spec.create(bus);
            VfioDevice vdev = DriverRegistry.probe(spec.opsTable(), hw, arch);
            host.add(spec.name(), hw,
                    () -> new VfioDeviceFops(VfioMain.vfioDeviceOpenFile(vdev, policy)),
                    () -> new VfioDeviceFops(VfioDeviceCdev.vfioDeviceFopsCdevOpen(vdev, policy)));
        }
        return host;
    }
}
