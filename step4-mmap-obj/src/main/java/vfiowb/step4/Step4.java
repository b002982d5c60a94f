package vfiowb.step4;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.step4.core.VfioDevice;
import vfiowb.step4.core.VfioDeviceCdev;
import vfiowb.step4.core.VfioDeviceFops;
import vfiowb.step4.core.VfioMain;

/**
 * Stage 4: every driver with regions on the mmap cookie ops; pgoff and offset arithmetic leaves
 * the drivers. The core's old paths stay until stage 5, unused.
 */
public final class Step4 implements Stage {
    @Override
    public int number() {
        return 4;
    }

    @Override
    public String module() {
        return "step4-mmap-obj";
    }

    @Override
    public String title() {
        return "Convert every driver to the mmap cookie ops";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio: Add vfio_mmap_vma_pgoff() so drivers never read vm_pgoff",
                "vfio/pci: Take offsets from the cookie in vma_to_pfn, device regions and ioeventfd_obj",
                "vfio/platform: Convert to the mmap cookie ops",
                "vfio/mlx5: Convert to the mmap cookie ops",
                "vfio/pds: Convert to the mmap cookie ops",
                "vfio/qat: Convert to the mmap cookie ops",
                "vfio/xe: Convert to the mmap cookie ops",
                "vfio/fsl-mc: Convert to the mmap cookie ops",
                "vfio/virtio: Convert to the mmap cookie ops",
                "vfio/cdx: Convert to the mmap cookie ops",
                "vfio/ccw: Convert to the mmap cookie ops",
                "vfio/hisi_acc: Convert to the mmap cookie ops",
                "vfio/nvgrace-gpu: Convert to the mmap cookie ops",
                "vfio/ism: Convert to the mmap cookie ops",
                "vfio/mtty: Convert to the mmap cookie ops",
                "vfio/mdpy: Convert to the mmap cookie ops",
                "vfio/mbochs: Convert to the mmap cookie ops",
                "vfio/gvt: Convert to the mmap cookie ops",
                "vfio/pci: Remove the 40-bit entry points no table uses");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.step4";
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
