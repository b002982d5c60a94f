package vfiowb.wccookie;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import vfiowb.common.hw.AmbaDevice;
import vfiowb.common.hw.ApDevice;
import vfiowb.common.hw.CcwDevice;
import vfiowb.common.hw.CdxDevice;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.FslMcDevice;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.hw.MbochsDevice;
import vfiowb.common.hw.MdpyDevice;
import vfiowb.common.hw.MttyDevice;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PlatformDevice;
import vfiowb.common.mm.Arch;
import vfiowb.wccookie.core.VfioDevice;
import vfiowb.wccookie.core.VfioDeviceOps;
import vfiowb.wccookie.drivers.ap.VfioApOps;
import vfiowb.wccookie.drivers.ccw.VfioCcwOps;
import vfiowb.wccookie.drivers.cdx.VfioCdx;
import vfiowb.wccookie.drivers.fslmc.VfioFslMc;
import vfiowb.wccookie.drivers.gvt.Kvmgt;
import vfiowb.wccookie.drivers.hisilicon.HisiAccVfioPci;
import vfiowb.wccookie.drivers.ism.IsmVfioPci;
import vfiowb.wccookie.drivers.mbochs.Mbochs;
import vfiowb.wccookie.drivers.mdpy.Mdpy;
import vfiowb.wccookie.drivers.mlx5.Mlx5VfioPci;
import vfiowb.wccookie.drivers.mtty.Mtty;
import vfiowb.wccookie.drivers.nvgracegpu.NvgraceGpuVfioPci;
import vfiowb.wccookie.drivers.pds.PdsVfioPci;
import vfiowb.wccookie.drivers.platform.VfioAmba;
import vfiowb.wccookie.drivers.platform.VfioPlatform;
import vfiowb.wccookie.drivers.qat.QatVfioPci;
import vfiowb.wccookie.drivers.vfiopci.VfioPci;
import vfiowb.wccookie.drivers.virtio.VirtioVfioPci;
import vfiowb.wccookie.drivers.xe.XeVfioPci;

/**
 * The drivers this stage builds, by {@code vfio_device_ops} table: what module_init and the
 * bus's match tables do in the kernel. Sits above core, pci and drivers, so it is the one
 * place that knows them all.
 */
public final class DriverRegistry {
    /** A driver's probe: binds its ops table to the hardware and returns the VFIO device. */
    @FunctionalInterface
    public interface Probe {
        VfioDevice probe(Device hw, Arch arch);
    }

    private record Entry(VfioDeviceOps ops, Probe probe) {}

    private static final Map<String, Entry> TABLES = new LinkedHashMap<>();

    static {
        register(VfioPci.VFIO_PCI_OPS, (hw, arch) -> VfioPci.vfioPciProbe((PciFunction) hw, arch));

        // PCI variant drivers. A driver with several tables has one probe that picks the table
        // the way the kernel's does, so the table a spec names selects the driver module only.
        register(Mlx5VfioPci.MLX5VF_PCI_OPS,
                (hw, arch) -> Mlx5VfioPci.mlx5vfPciProbe((PciFunction) hw, arch));
        register(HisiAccVfioPci.HISI_ACC_VFIO_PCI_MIGRN_OPS,
                (hw, arch) -> HisiAccVfioPci.hisiAccVfioPciProbe((PciFunction) hw, arch));
        register(HisiAccVfioPci.HISI_ACC_VFIO_PCI_OPS,
                (hw, arch) -> HisiAccVfioPci.hisiAccVfioPciProbe((PciFunction) hw, arch));
        register(NvgraceGpuVfioPci.NVGRACE_GPU_PCI_OPS,
                (hw, arch) -> NvgraceGpuVfioPci.nvgraceGpuProbe((PciFunction) hw, arch));
        register(NvgraceGpuVfioPci.NVGRACE_GPU_PCI_CORE_OPS,
                (hw, arch) -> NvgraceGpuVfioPci.nvgraceGpuProbe((PciFunction) hw, arch));
        register(PdsVfioPci.PDS_VFIO_OPS,
                (hw, arch) -> PdsVfioPci.pdsVfioPciProbe((PciFunction) hw, arch));
        register(QatVfioPci.QAT_VF_PCI_OPS,
                (hw, arch) -> QatVfioPci.qatVfVfioPciProbe((PciFunction) hw, arch));
        register(VirtioVfioPci.VIRTIOVF_VFIO_PCI_LM_OPS,
                (hw, arch) -> VirtioVfioPci.virtiovfPciProbe((PciFunction) hw, arch));
        register(VirtioVfioPci.VIRTIOVF_VFIO_PCI_TRAN_LM_OPS,
                (hw, arch) -> VirtioVfioPci.virtiovfPciProbe((PciFunction) hw, arch));
        register(VirtioVfioPci.VIRTIOVF_VFIO_PCI_OPS,
                (hw, arch) -> VirtioVfioPci.virtiovfPciProbe((PciFunction) hw, arch));
        register(XeVfioPci.XE_VFIO_PCI_OPS,
                (hw, arch) -> XeVfioPci.xeVfioPciProbe((PciFunction) hw, arch));
        register(IsmVfioPci.ISM_PCI_OPS,
                (hw, arch) -> IsmVfioPci.ismVfioPciProbe((PciFunction) hw, arch));
        // non-PCI drivers
        register(VfioPlatform.VFIO_PLATFORM_OPS,
                (hw, arch) -> VfioPlatform.vfioPlatformProbe((PlatformDevice) hw, arch));
        register(VfioAmba.VFIO_AMBA_OPS,
                (hw, arch) -> VfioAmba.vfioAmbaProbe((AmbaDevice) hw, arch));
        register(VfioFslMc.VFIO_FSL_MC_OPS,
                (hw, arch) -> VfioFslMc.vfioFslMcProbe((FslMcDevice) hw, arch));
        register(VfioCdx.VFIO_CDX_OPS,
                (hw, arch) -> VfioCdx.vfioCdxProbe((CdxDevice) hw, arch));
        register(VfioCcwOps.VFIO_CCW_DEV_OPS,
                (hw, arch) -> VfioCcwOps.vfioCcwMdevProbe((CcwDevice) hw, arch));
        register(VfioApOps.VFIO_AP_MATRIX_DEV_OPS,
                (hw, arch) -> VfioApOps.vfioApMdevProbe((ApDevice) hw, arch));
        register(Kvmgt.INTEL_VGPU_DEV_OPS,
                (hw, arch) -> Kvmgt.intelVgpuProbe((KvmgtVgpu) hw, arch));
        register(Mtty.MTTY_DEV_OPS,
                (hw, arch) -> Mtty.mttyProbe((MttyDevice) hw, arch));
        register(Mdpy.MDPY_DEV_OPS,
                (hw, arch) -> Mdpy.mdpyProbe((MdpyDevice) hw, arch));
        register(Mbochs.MBOCHS_DEV_OPS,
                (hw, arch) -> Mbochs.mbochsProbe((MbochsDevice) hw, arch));
    }

    private DriverRegistry() {}

    private static void register(VfioDeviceOps ops, Probe probe) {
        if (TABLES.put(ops.tableName(), new Entry(ops, probe)) != null) {
            throw new IllegalStateException("ops table registered twice: " + ops.tableName());
        }
    }

    /** Every ops table this stage models, by C identifier, in registration order. */
    public static Map<String, VfioDeviceOps> opsTables() {
        Map<String, VfioDeviceOps> m = new LinkedHashMap<>();
        TABLES.forEach((k, v) -> m.put(k, v.ops()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Probes {@code hw} with the driver owning {@code opsTable}.
     *
     * @throws IllegalArgumentException when this stage models no such table
     */
    public static VfioDevice probe(String opsTable, Device hw, Arch arch) {
        Entry e = TABLES.get(opsTable);
        if (e == null) {
            throw new IllegalArgumentException("stage 4 models no ops table " + opsTable);
        }
        return e.probe().probe(hw, arch);
    }
}
