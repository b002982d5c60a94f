package vfiowb.step2;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.step2.core.VfioDevice;
import vfiowb.step2.core.VfioDeviceCdev;
import vfiowb.step2.core.VfioDeviceFops;
import vfiowb.step2.core.VfioMain;

/** Stage 2: the tree as merged for v6.19, every driver on {@code get_region_info_caps}. */
public final class Step2 implements Stage {
    @Override
    public int number() {
        return 2;
    }

    @Override
    public String module() {
        return "step2-driver-conversions";
    }

    @Override
    public String title() {
        return "Convert every driver to get_region_info_caps; the core requires it";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio/hisi: Convert to the get_region_info op",
                "vfio/virtio: Convert to the get_region_info op",
                "vfio/nvgrace: Convert to the get_region_info op",
                "vfio/pci: Fill in the missing get_region_info ops",
                "vfio/mtty: Provide a get_region_info op",
                "vfio/mdpy: Provide a get_region_info op",
                "vfio/mbochs: Provide a get_region_info op",
                "vfio/platform: Provide a get_region_info op",
                "vfio/fsl: Provide a get_region_info op",
                "vfio/cdx: Provide a get_region_info op",
                "vfio/ccw: Provide a get_region_info op",
                "vfio/gvt: Provide a get_region_info op",
                "vfio: Require drivers to implement get_region_info",
                "vfio/mbochs: Convert mbochs to use vfio_info_add_capability()",
                "vfio/gvt: Convert to get_region_info_caps",
                "vfio/ccw: Convert to get_region_info_caps",
                "vfio/pci: Convert all PCI drivers to get_region_info_caps",
                "vfio/platform: Convert to get_region_info_caps",
                "vfio: Move the remaining drivers to get_region_info_caps",
                "vfio: Remove the get_region_info op",
                "vfio/xe: Add default handler for .get_region_info_caps");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.step2";
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
