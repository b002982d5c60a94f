package vfiowb.wcalias;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceCdev;
import vfiowb.wcalias.core.VfioDeviceFops;
import vfiowb.wcalias.core.VfioMain;

/**
 * Variant {@code wc-alias} on stage 5 (issue 14): Alex Williamson's and Mahmoud Adam's
 * design. {@code VFIO_DEVICE_FEATURE_ALIAS_REGION} (GET) creates, or finds, a region index of the
 * device that aliases a BAR with mmap attributes; REGION_INFO describes it with
 * {@code VFIO_REGION_INFO_CAP_ALIAS}, and GET_INFO's {@code num_regions} grows for every file.
 * The alias is mmap-only; its cookie is placed like any region's.
 */
public final class WcAlias implements Stage {
    @Override
    public int number() {
        return 5;
    }

    @Override
    public String variant() {
        return "wc-alias";
    }

    @Override
    public String module() {
        return "wc-alias";
    }

    @Override
    public String title() {
        return "Write-combining by an alias region: VFIO_DEVICE_FEATURE_ALIAS_REGION adds an mmap-only region index";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio: Place an alias region's cookie when a large region took its slot",
                "vfio/pci: Add VFIO_DEVICE_FEATURE_ALIAS_REGION and VFIO_REGION_INFO_CAP_ALIAS",
                "vfio/pci: Take alias regions in vfio_pci_ops",
                "vfio/hisi_acc: Take alias regions in the plain table (not the migration table's halved BAR2)",
                "vfio/mlx5: Take alias regions",
                "vfio/nvgrace-gpu: Take alias regions in the core-only table (the fake BARs map their own way)",
                "vfio/pds: Take alias regions",
                "vfio/qat: Take alias regions, with a device_feature answering only this variant's features",
                "vfio/virtio: Take alias regions in the tables without the emulated legacy I/O BAR",
                "vfio/xe: Take alias regions",
                "vfio/tests: Run the WC tests on the alias variant");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.wcalias";
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
