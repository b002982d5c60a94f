package vfiowb.wcdmabuf;

import java.util.List;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.wcdmabuf.core.VfioDevice;
import vfiowb.wcdmabuf.core.VfioDeviceCdev;
import vfiowb.wcdmabuf.core.VfioDeviceFops;
import vfiowb.wcdmabuf.core.VfioMain;

/**
 * Variant {@code wc-dmabuf} on stage 5 (issue 14): Matt Evans' design (v4, July 2026).
 * {@code VFIO_DEVICE_FEATURE_DMA_BUF} (v6.19) exports a range of a BAR as a dma-buf file
 * descriptor, which this variant lets userspace mmap; {@code VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR}
 * gives a dma-buf the WC attribute its later mmaps get. Every dma-buf has its own address
 * space, so revocation walks the device's dma-bufs besides zapping the device inode.
 */
public final class WcDmabuf implements Stage {
    @Override
    public int number() {
        return 5;
    }

    @Override
    public String variant() {
        return "wc-dmabuf";
    }

    @Override
    public String module() {
        return "wc-dmabuf";
    }

    @Override
    public String title() {
        return "Write-combining by a dma-buf: export the range, set DMA_BUF_MEMATTR WC, mmap the dma-buf";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of(
                "vfio: Name the dma-buf variant",
                "vfio/pci: mmap exported dma-bufs, each with its own address space; add DMA_BUF_MEMATTR",
                "vfio/pci: Export mmap-able dma-bufs from vfio_pci_ops",
                "vfio/hisi_acc: Export mmap-able dma-bufs in the plain table (not the migration table's halved BAR2)",
                "vfio/mlx5: Export mmap-able dma-bufs",
                "vfio/nvgrace-gpu: Export mmap-able dma-bufs in the core-only table (the fake BARs map their own way)",
                "vfio/pds: Export mmap-able dma-bufs",
                "vfio/qat: Export mmap-able dma-bufs, with a device_feature answering only this variant's features",
                "vfio/virtio: Export mmap-able dma-bufs in the tables without the emulated legacy I/O BAR",
                "vfio/xe: Export mmap-able dma-bufs",
                "vfio/tests: Run the WC tests on the dma-buf variant");
    }

    @Override
    public String packageRoot() {
        return "vfiowb.wcdmabuf";
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
