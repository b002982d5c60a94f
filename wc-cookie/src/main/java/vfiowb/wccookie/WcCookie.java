package vfiowb.wccookie;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.wccookie.core.VfioDevice;
import vfiowb.wccookie.core.VfioDeviceCdev;
import vfiowb.wccookie.core.VfioDeviceFops;
import vfiowb.wccookie.core.VfioMain;

/**
 * Variant {@code wc-cookie} on stage 5 (issue 14): Jason Gunthorpe's design. A new ioctl,
 * {@code VFIO_DEVICE_GET_REGION_MMAP}, asks the driver for another cookie of a region with mmap
 * attributes ({@code VFIO_REGION_MMAP_FLAG_WC}); the core places it in the file's tree like any
 * cookie (immutable, one per file, region and attributes) and answers its offset; mmap of that
 * offset maps with the cookie's pgprot. Nothing else changes: REGION_INFO, num_regions and the
 * region's own cookie are as at stage 5.
 */
public final class WcCookie implements Stage {
    @Override
    public int number() {
        return 5;
    }

    @Override
    public String variant() {
        return "wc-cookie";
    }

    @Override
    public String module() {
        return "wc-cookie";
    }

    @Override
    public String title() {
        return "Write-combining by a cookie ioctl: VFIO_DEVICE_GET_REGION_MMAP mints another immutable cookie of a region";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio: Add VFIO_DEVICE_GET_REGION_MMAP to mint a cookie with mmap attributes",
                "vfio/pci: Write-combined cookies of prefetchable memory BARs, never over the MSI-X table",
                "vfio/pci: Mint write-combined cookies in vfio_pci_ops",
                "vfio/hisi_acc: Mint write-combined cookies in the plain table (not the migration table's halved BAR2)",
                "vfio/mlx5: Mint write-combined cookies",
                "vfio/nvgrace-gpu: Mint write-combined cookies in the core-only table (the fake BARs map their own way)",
                "vfio/pds: Mint write-combined cookies",
                "vfio/qat: Mint write-combined cookies",
                "vfio/virtio: Mint write-combined cookies in the tables without the emulated legacy I/O BAR",
                "vfio/xe: Mint write-combined cookies",
                "vfio/tests: Run the WC tests on the cookie variant");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.wccookie";
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
