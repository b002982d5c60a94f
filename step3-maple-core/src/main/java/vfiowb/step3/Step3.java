package vfiowb.step3;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.step3.core.VfioDevice;
import vfiowb.step3.core.VfioDeviceCdev;
import vfiowb.step3.core.VfioDeviceFops;
import vfiowb.step3.core.VfioMain;

/**
 * Stage 3: each device file gets a maple tree of mmap cookies ({@code struct vfio_mmap}); the
 * core places every region of a driver on the new path in the file's pgoff space, by policy, and
 * resolves mmap, read, write and ioeventfd offsets through the tree. vfio_pci_ops is the first
 * user; every other table keeps its stage-2 path.
 */
public final class Step3 implements Stage {
    @Override
    public int number() {
        return 3;
    }

    @Override
    public String module() {
        return "step3-maple-core";
    }

    @Override
    public String title() {
        return "A per-file maple tree of mmap cookies and the mmap_obj op; vfio-pci first";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio: Add struct vfio_mmap and a per-file maple tree of mmap cookies",
                "vfio: Add the get_region_info_obj op; the core places each region's cookie",
                "vfio: Add the mmap_obj op; the core resolves vm_pgoff through the tree",
                "vfio: Resolve read, write and ioeventfd offsets through the tree",
                "vfio: Zap every file's cookies on revocation (vfio_device_zap_mmaps)",
                "vfio/pci: Split the region index out of the rw, mmap and fault paths",
                "vfio/pci: Convert vfio_pci_ops to the mmap cookie ops");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.step3";
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
