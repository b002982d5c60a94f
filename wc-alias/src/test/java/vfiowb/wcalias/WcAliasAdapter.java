package vfiowb.wcalias;

import java.util.LinkedHashMap;
import java.util.Map;
import vfiowb.common.hw.Device;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.Stage;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.userspace.KernelFile;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceFile;
import vfiowb.wcalias.core.VfioDeviceFops;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.core.VfioMain;
import vfiowb.wcalias.core.VfioMmap;
import vfiowb.wcalias.drivers.ap.ApMatrixMdev;
import vfiowb.wcalias.drivers.fslmc.VfioFslMcDevice;
import vfiowb.wcalias.drivers.gvt.IntelVgpu;
import vfiowb.wcalias.drivers.hisilicon.HisiAccVfCoreDevice;
import vfiowb.wcalias.drivers.mbochs.MbochsState;
import vfiowb.wcalias.drivers.nvgracegpu.NvgraceGpuPciCoreDevice;
import vfiowb.wcalias.drivers.platform.VfioPlatformDevice;
import vfiowb.wcalias.drivers.virtio.VirtiovfPciCoreDevice;
import vfiowb.wcalias.pci.VfioPciCoreDevice;

/** The stage as the tests written once in common's test-jar see it. */
public final class WcAliasAdapter implements StageAdapter {
    @Override
    public Stage stage() {
        return new WcAlias();
    }

    @Override
    public Map<String, OpsTable> opsTables() {
        Map<String, OpsTable> m = new LinkedHashMap<>();
        DriverRegistry.opsTables().forEach((name, ops) ->
                m.put(name, new OpsTable(ops.tableName(), ops.name(), ops.membersSet())));
        return m;
    }

    private static VfioDevice vdev(KernelFile file) {
        return ((VfioDeviceFops) file).deviceFile().device();
    }

    @Override
    public String opsTableOf(KernelFile file) {
        return vdev(file).ops().tableName();
    }

    @Override
    public int driverMmap(KernelFile file, VmArea vma) {
        VfioDeviceFile df = ((VfioDeviceFops) file).deviceFile();
        VfioDevice vdev = df.device();
        VfioMmap obj = df.cookies().stream()
                .filter(c -> Long.compareUnsigned(vma.vmPgoff() - c.pgoff(), c.pages()) < 0)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no cookie covers pgoff 0x"
                        + Long.toHexString(vma.vmPgoff())));
        return vdev.ops().mmapObj().mmapObj(vdev, vma, obj);
    }

    @Override
    public Map<String, Object> driverState(KernelFile file) {
        VfioDevice vdev = vdev(file);
        Map<String, Object> s = new LinkedHashMap<>();
        if (vdev instanceof VfioPciCoreDevice core) {
            s.put("ioeventfds_nr", (long) core.ioeventfdsNr());
        }
        if (vdev instanceof HisiAccVfCoreDevice hisi) {
            s.put("drv_mode", hisi.drvMode().name());
        }
        if (vdev instanceof NvgraceGpuPciCoreDevice nv) {
            s.put("has_mig_hw_bug", nv.hasMigHwBug());
            for (Map.Entry<String, NvgraceGpuPciCoreDevice.MemRegion> e
                    : Map.of("usemem", nv.usemem(), "resmem", nv.resmem()).entrySet()) {
                s.put(e.getKey() + ".memphys", e.getValue().memphys());
                s.put(e.getKey() + ".memlength", e.getValue().memlength());
                s.put(e.getKey() + ".bar_size", e.getValue().barSize());
                s.put(e.getKey() + ".bar_val", e.getValue().barVal());
            }
        }
        if (vdev instanceof VirtiovfPciCoreDevice v) {
            s.put("pci_cmd", (long) v.pciCmd());
            s.put("pci_base_addr_0", v.pciBaseAddr0());
            s.put("bar0_virtual_buf_size", v.bar0VirtualBufSize());
            s.put("notify_bar", (long) v.notifyBar());
            s.put("notify_offset", v.notifyOffset());
        }
        if (vdev instanceof ApMatrixMdev ap) {
            s.put("kvm_set", ap.kvmSet());
            s.put("queue_resets", ap.queueResets());
        }
        if (vdev instanceof VfioPlatformDevice platform) {
            s.put("reset_count", platform.resetCount());
        }
        if (vdev instanceof VfioFslMcDevice fslMc) {
            s.put("reset_count", fslMc.resetCount());
        }
        if (vdev instanceof IntelVgpu vgpu) {
            s.put("reset_count", vgpu.resetCount());
        }
        if (vdev instanceof MbochsState mbochs) {
            s.put("pages_allocated", (long) mbochs.pagesAllocated());
        }
        return s;
    }

    @Override
    public KernelFile openBareDevice(RegionInfoCaps getRegionInfoCaps, Ioctl ioctl) {
        VfioDeviceOps.Builder b = VfioDeviceOps.builder("bare_test_ops");
        // No get_region_info_caps any more: the test's op answers as a get_region_info_obj
        // that describes no bytes, so the core's copy logic is what the test sees.
        if (getRegionInfoCaps != null) {
            b.getRegionInfoObj((vdev, info, caps, obj) -> getRegionInfoCaps.getRegionInfoCaps(
                    info, caps));
        }
        if (ioctl != null) {
            b.ioctl((vdev, cmd, arg) -> ioctl.ioctl(cmd, arg));
        }
        Device dev = () -> "bare";
        return new VfioDeviceFops(VfioMain.vfioDeviceOpenFile(
                new VfioDevice(b.build(), dev, Arch.X86_64) {}));
    }
}
