package vfiowb.step5.drivers.nvgracegpu;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.errno.Errno.EOVERFLOW;
import static vfiowb.common.errno.Errno.ETIME;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR2_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR4_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.NvgraceGpu;
import vfiowb.common.hw.PciErrorHandlers;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.KernelMapping;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.mm.VmOperations;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step5.core.VfioDevice;
import vfiowb.step5.core.VfioDeviceOps;
import vfiowb.step5.core.VfioMmap;
import vfiowb.step5.drivers.nvgracegpu.NvgraceGpuPciCoreDevice.MemRegion;
import vfiowb.step5.pci.VfioPciCore;
import vfiowb.step5.pci.VfioPciCore.RangeIntersection;
import vfiowb.step5.pci.VfioPciCoreDevice;
import vfiowb.step5.pci.VfioPciDeviceOps;
import vfiowb.step5.pci.VfioPciRdwr;

/**
 * drivers/vfio/pci/nvgrace-gpu/main.c as of v6.19: Grace Hopper/Blackwell GPUs whose
 * CPU-coherent device memory is exposed as two fake 64-bit BARs (kernel-facts §C.3).
 *
 * <p>BAR2 (resmem, only with the MIG hardware bug) maps write-combining with
 * {@code VM_ALLOW_ANY_UNCACHED}; BAR4 (usemem) maps with {@code vm_page_prot} left alone, i.e.
 * cacheable. Region info reports {@code roundup_pow_of_two(length)} with a one-area sparse-mmap
 * capability over the real memory. Since v6.19 the mapping is fault-based (own
 * {@code vm_ops}, huge faults through {@code vfio_pci_vmf_insert_pfn}), so
 * {@code vm_pgoff} keeps its region encoding and the core's BAR zap reaches these mappings too.
 * Read and write of the fake BARs go to device memory; past the real memory reads give 0xFF and
 * writes are dropped, past the reported BAR they fail. Config space emulates the BAR2..5
 * registers.
 *
 * <p>With this series each fake BAR is a cookie of its own ({@link NvgraceGpuMmap}: the memory
 * range and how to map it), which region info hands the core and the sparse-mmap capability
 * describes; mmap, the fault handlers, read and write take the object and the position inside
 * it instead of decoding the 40-bit layout. The other regions are vfio-pci-core's cookies.
 *
 * <p>After a reset (the one at open included) the driver's {@code reset_done} hook flags the
 * GPU, and the first fault, read or write of device memory polls the BAR0 readiness registers
 * under {@code memory_lock} (v6.19 "wait for the GPU mem to be ready"): SIGBUS or -ETIME if
 * the GPU does not come ready. Not modelled: the readiness poll at probe, poison handling
 * (v7.0), EGM. The kernel's memremap/ioremap_wc of device memory for read/write is a plain bus
 * access here.
 */
@Models("drivers/vfio/pci/nvgrace-gpu/main.c")
public final class NvgraceGpuVfioPci {
    /** {@code RESMEM_REGION_INDEX}. */
    private static final int RESMEM_REGION_INDEX = VFIO_PCI_BAR2_REGION_INDEX;
    /** {@code USEMEM_REGION_INDEX}. */
    private static final int USEMEM_REGION_INDEX = VFIO_PCI_BAR4_REGION_INDEX;
    /** {@code MEMBLK_SIZE}: firmware ABI granule usemem is rounded down to. */
    private static final long MEMBLK_SIZE = 512L << 20;
    private static final long RESMEM_SIZE = 1L << 30;
    private static final int PCI_BASE_ADDRESS_2 = 0x18;
    private static final int PCI_BASE_ADDRESS_4 = 0x20;
    private static final long PCI_BASE_ADDRESS_MEM_TYPE_64 = 0x04;
    private static final long PCI_BASE_ADDRESS_MEM_PREFETCH = 0x08;
    /** {@code VFIO_PCI_IO_WIDTH_8}: resmem accesses may be 8 bytes wide. */
    private static final int VFIO_PCI_IO_WIDTH_8 = 8;

    private NvgraceGpuVfioPci() {}

    /**
     * {@code nvgrace_gpu_pci_ops}: the table for a GPU with coherent memory; own ioctl, region
     * info, read, write and mmap, on the cookie ops with this series. No {@code ioeventfd_obj}:
     * {@code VFIO_DEVICE_IOEVENTFD} still reaches {@code nvgrace_gpu_ioctl}, which refuses it.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_pci_ops")
    public static final VfioDeviceOps NVGRACE_GPU_PCI_OPS =
            VfioDeviceOps.builder("nvgrace_gpu_pci_ops")
                    .name("nvgrace-gpu-vfio-pci")
                    .openDevice(NvgraceGpuVfioPci::nvgraceGpuOpenDevice)
                    .closeDevice(NvgraceGpuVfioPci::nvgraceGpuCloseDevice)
                    .ioctl(NvgraceGpuVfioPci::nvgraceGpuIoctl)
                    .getRegionInfoObj(NvgraceGpuVfioPci::nvgraceGpuIoctlGetRegionInfoObj)
                    .mmapObj(NvgraceGpuVfioPci::nvgraceGpuMmapObj)
                    .readObj(NvgraceGpuVfioPci::nvgraceGpuReadObj)
                    .writeObj(NvgraceGpuVfioPci::nvgraceGpuWriteObj)
                    .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
                    .build();

    /**
     * {@code nvgrace_gpu_pci_core_ops}: firmware describes no coherent memory, so only the
     * real BARs exist; the driver's open wrapper, everything else from vfio-pci-core (its
     * cookie ops with this series).
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_pci_core_ops")
    public static final VfioDeviceOps NVGRACE_GPU_PCI_CORE_OPS =
            VfioDeviceOps.builder("nvgrace_gpu_pci_core_ops")
                    .name("nvgrace-gpu-vfio-pci-core")
                    .openDevice(NvgraceGpuVfioPci::nvgraceGpuOpenDevice)
                    .closeDevice(VfioPciCore::vfioPciCoreCloseDevice)
                    .ioctl(VfioPciCore::vfioPciCoreIoctl)
                    .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
                    .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
                    .readObj(VfioPciCore::vfioPciCoreReadObj)
                    .writeObj(VfioPciCore::vfioPciCoreWriteObj)
                    .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
                    .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
                    .build();

    /** {@code nvgrace_gpu_vfio_pci_mmap_ops}: fault and huge_fault on device memory. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_vfio_pci_mmap_ops")
    static final VmOperations NVGRACE_GPU_VFIO_PCI_MMAP_OPS = new VmOperations() {
        @Override
        public VmFaultResult fault(VmFault vmf) {
            return nvgraceGpuVfioPciFault(vmf);
        }

        @Override
        public VmFaultResult hugeFault(VmFault vmf, int order) {
            return nvgraceGpuVfioPciHugeFault(vmf, order);
        }

        @Override
        public boolean hasHugeFault() {
            return true;
        }

        @Override
        public String name() {
            return "nvgrace_gpu_vfio_pci_mmap_ops";
        }
    };

    private static NvgraceGpuPciCoreDevice toNv(VfioDevice core) {
        return (NvgraceGpuPciCoreDevice) core;
    }

    // ---------------------------------------------------------------- probe

    /**
     * {@code nvgrace_gpu_probe}: {@code nvgrace_gpu_pci_ops} when firmware describes coherent
     * memory ({@code nvgrace_gpu_fetch_memory_property} succeeds), then the MIG-bug check and
     * the partition; otherwise {@code nvgrace_gpu_pci_core_ops}. A function that is not a Grace
     * GPU has no such properties.
     *
     * @throws IllegalStateException where the kernel's probe would fail (memory too small to
     *     partition, which the device model already refuses)
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_probe")
    public static NvgraceGpuPciCoreDevice nvgraceGpuProbe(PciFunction pdev, Arch arch) {
        boolean hasMemory = pdev instanceof NvgraceGpu && ((NvgraceGpu) pdev).hasDeviceMemory();
        VfioDeviceOps ops = hasMemory ? NVGRACE_GPU_PCI_OPS : NVGRACE_GPU_PCI_CORE_OPS;
        NvgraceGpuPciCoreDevice nvdev = new NvgraceGpuPciCoreDevice(ops, pdev, arch);
        nvdev.setPciOps(ops == NVGRACE_GPU_PCI_OPS ? NVGRACE_GPU_PCI_DEV_OPS
                : NVGRACE_GPU_PCI_DEV_CORE_OPS);
        pdev.setDriverErrHandler(nvgraceGpuVfioPciErrHandlers(nvdev));
        if (ops == NVGRACE_GPU_PCI_OPS) {
            NvgraceGpu gpu = (NvgraceGpu) pdev;
            nvdev.setHasMigHwBug(gpu.hasMigHwBug());
            int ret = nvgraceGpuInitNvdevStruct(nvdev, gpu.deviceMemoryStart(),
                    gpu.deviceMemoryLength());
            if (ret != 0) {
                throw new IllegalStateException(pdev.name() + ": nvgrace_gpu_probe failed: " + ret);
            }
        }
        return nvdev;
    }

    /**
     * {@code nvgrace_gpu_pci_dev_ops}: dma-buf export of the fake BARs from device memory
     * ({@link #nvgraceGetDmabufPhys}), of the real ones through vfio-pci-core.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_pci_dev_ops")
    static final VfioPciDeviceOps NVGRACE_GPU_PCI_DEV_OPS =
            new VfioPciDeviceOps("nvgrace_gpu_pci_dev_ops", NvgraceGpuVfioPci::nvgraceGetDmabufPhys);

    /** {@code nvgrace_gpu_pci_dev_core_ops}: without device memory, vfio-pci-core's lookup. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_pci_dev_core_ops")
    static final VfioPciDeviceOps NVGRACE_GPU_PCI_DEV_CORE_OPS =
            new VfioPciDeviceOps("nvgrace_gpu_pci_dev_core_ops", VfioPciCore::vfioPciCoreGetDmabufPhys);

    /**
     * {@code nvgrace_get_dmabuf_phys}: a fake BAR's ranges must lie inside its real device
     * memory ({@code vfio_pci_core_fill_phys_vec} from {@code memphys} over
     * {@code memlength}); any other region goes to vfio-pci-core.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_get_dmabuf_phys")
    static int nvgraceGetDmabufPhys(VfioPciCoreDevice vdev, int regionIndex, long[][] ranges) {
        MemRegion memregion = nvgraceGpuMemregion(regionIndex, (NvgraceGpuPciCoreDevice) vdev);
        if (memregion != null) {
            return VfioPciCore.vfioPciCoreFillPhysVec(ranges, memregion.memphys(),
                    memregion.memlength());
        }
        return VfioPciCore.vfioPciCoreGetDmabufPhys(vdev, regionIndex, ranges);
    }

    /**
     * {@code nvgrace_gpu_vfio_pci_err_handlers}, the driver's {@code err_handler} (v6.19):
     * {@code reset_done} is {@link #nvgraceGpuVfioPciResetDone}.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_vfio_pci_err_handlers")
    static PciErrorHandlers nvgraceGpuVfioPciErrHandlers(NvgraceGpuPciCoreDevice nvdev) {
        return new PciErrorHandlers() {
            @Override
            public void resetDone(PciFunction pdev) {
                nvgraceGpuVfioPciResetDone(nvdev);
            }
        };
    }

    /**
     * {@code nvgrace_gpu_vfio_pci_reset_done}: flag that the GPU has just been reset, so the
     * first fault or access polls readiness. Every reset calls it, the one
     * {@code vfio_pci_core_enable} does at open included.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_vfio_pci_reset_done")
    static void nvgraceGpuVfioPciResetDone(NvgraceGpuPciCoreDevice nvdev) {
        nvdev.setResetDone(true);
    }

    /**
     * {@code nvgrace_gpu_wait_device_ready}: both BAR0 status registers must read
     * {@code STATUS_READY}; the kernel polls every second for up to 30 s and then gives -ETIME.
     * The loads go through the bus like {@code ioread32} (all ones with memory decode off). The
     * model has no time and its GPU changes the registers only on reset, so one look decides
     * what the whole poll would find.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_wait_device_ready")
    static int nvgraceGpuWaitDeviceReady(NvgraceGpuPciCoreDevice nvdev) {
        PciFunction pdev = nvdev.pdev();
        if (pdev.barRead(0, NvgraceGpu.c2cLinkBar0Offset(), 4) == NvgraceGpu.statusReady()
                && pdev.barRead(0, NvgraceGpu.hbmTrainingBar0Offset(), 4) == NvgraceGpu.statusReady()) {
            return 0;
        }
        return -ETIME;
    }

    /**
     * {@code nvgrace_gpu_check_device_ready}, with {@code memory_lock} held for reading: nothing
     * to do unless a reset happened since the last check; else wait for readiness and clear the
     * flag once it is there.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_check_device_ready")
    static int nvgraceGpuCheckDeviceReady(NvgraceGpuPciCoreDevice nvdev) {
        if (!nvdev.resetDone()) {
            return 0;
        }
        int ret = nvgraceGpuWaitDeviceReady(nvdev);
        if (ret != 0) {
            return ret;
        }
        nvdev.setResetDone(false);
        return 0;
    }

    /**
     * {@code nvgrace_gpu_init_nvdev_struct}: without the MIG bug all memory is usemem. With it, a
     * 1 GiB carve-out comes off the top; the usemem BAR size is taken from what is left, then
     * usemem is rounded down to {@code MEMBLK_SIZE} and resmem is the rest, with its own BAR
     * size. Each BAR size is {@code roundup_pow_of_two} of its length.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_init_nvdev_struct")
    static int nvgraceGpuInitNvdevStruct(NvgraceGpuPciCoreDevice nvdev, long memphys,
            long memlength) {
        long resmemSize = nvdev.hasMigHwBug() ? RESMEM_SIZE : 0;
        if (Long.compareUnsigned(memlength, resmemSize) < 0) {
            return -EOVERFLOW;
        }
        long usememLength = memlength - resmemSize;
        long usememBarSize = roundupPowOfTwo(usememLength);
        if (!nvdev.hasMigHwBug()) {
            nvdev.usemem().set(memphys, usememLength, usememBarSize);
            return 0;
        }
        usememLength = usememLength / MEMBLK_SIZE * MEMBLK_SIZE;
        if (usememLength == 0) {
            return -EINVAL;
        }
        nvdev.usemem().set(memphys, usememLength, usememBarSize);
        long resmemLength = memlength - usememLength;
        nvdev.resmem().set(memphys + usememLength, resmemLength, roundupPowOfTwo(resmemLength));
        return 0;
    }

    private static long roundupPowOfTwo(long v) {
        long h = Long.highestOneBit(v);
        return h == v ? v : h << 1;
    }

    // ---------------------------------------------------------------- open / close / ioctl

    /** {@code nvgrace_gpu_init_fake_bar_emu_regs}: both emulated BAR registers back to 0. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_init_fake_bar_emu_regs")
    static void nvgraceGpuInitFakeBarEmuRegs(NvgraceGpuPciCoreDevice nvdev) {
        nvdev.resmem().setBarVal(0);
        nvdev.usemem().setBarVal(0);
    }

    /**
     * {@code nvgrace_gpu_memregion}: the fake BAR a region index names - usemem for BAR4, resmem
     * for BAR2 when it exists - or null. With this series only region info and the config
     * emulation ask it, with an index they were given, never one decoded from an offset.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_memregion")
    static MemRegion nvgraceGpuMemregion(long index, NvgraceGpuPciCoreDevice nvdev) {
        if (index == USEMEM_REGION_INDEX) {
            return nvdev.usemem();
        }
        if (nvdev.resmem().memlength() != 0 && index == RESMEM_REGION_INDEX) {
            return nvdev.resmem();
        }
        return null;
    }

    /**
     * {@code nvgrace_gpu_open_device} (both tables): {@code vfio_pci_core_enable} (which sets
     * {@code nr_regions}); with device
     * memory, the emulated BAR registers start at 0; BAR0 is claimed and mapped for the
     * readiness registers ({@code vfio_pci_core_setup_barmap}, a failure disables the core);
     * then {@code vfio_pci_core_finish_enable}.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_open_device")
    public static int nvgraceGpuOpenDevice(VfioDevice core) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        int ret = VfioPciCore.vfioPciCoreEnable(nvdev);
        if (ret != 0) {
            return ret;
        }
        if (nvdev.usemem().memlength() != 0) {
            nvgraceGpuInitFakeBarEmuRegs(nvdev);
        }
        ret = VfioPciCore.vfioPciCoreSetupBarmap(nvdev, 0);
        if (ret != 0) {
            VfioPciCore.vfioPciCoreDisable(nvdev);
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(nvdev);
        return 0;
    }

    /** {@code nvgrace_gpu_close_device}: drop the kernel mappings of device memory, core close. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_close_device")
    public static void nvgraceGpuCloseDevice(VfioDevice core) {
        VfioPciCore.vfioPciCoreCloseDevice(core);
    }

    /**
     * {@code nvgrace_gpu_ioctl}: ioeventfds are refused (-ENOTTY: the fake BARs have no MMIO to
     * attach them to); a reset also clears the emulated BAR registers; everything else, the
     * reset included, goes to {@code vfio_pci_core_ioctl}.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_ioctl")
    public static long nvgraceGpuIoctl(VfioDevice core, int cmd, UserBuffer arg) {
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_IOEVENTFD:
                return -ENOTTY;
            case VfioIoctl.VFIO_DEVICE_RESET:
                nvgraceGpuInitFakeBarEmuRegs(toNv(core));
                return VfioPciCore.vfioPciCoreIoctl(core, cmd, arg);
            default:
                return VfioPciCore.vfioPciCoreIoctl(core, cmd, arg);
        }
    }

    // ---------------------------------------------------------------- region info

    /**
     * {@code nvgrace_gpu_mmap_alloc} (this series): the cookie of a fake BAR. resmem maps
     * write-combining with {@code VM_ALLOW_ANY_UNCACHED}; usemem keeps the cacheable protection
     * a VMA starts with.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_mmap_alloc")
    static NvgraceGpuMmap nvgraceGpuMmapAlloc(NvgraceGpuPciCoreDevice nvdev, int index,
            MemRegion memregion) {
        boolean resmem = index == RESMEM_REGION_INDEX;
        return new NvgraceGpuMmap(nvdev, index, memregion, resmem ? PgProt.WC : PgProt.WB,
                resmem);
    }

    /**
     * {@code nvgrace_gpu_ioctl_get_region_info_obj} (this series), the
     * {@code get_region_info_obj} of {@code nvgrace_gpu_pci_ops}: for a fake BAR, its
     * {@link NvgraceGpuMmap}, and info describing that object: a one-area SPARSE_MMAP capability
     * covering its real memory, size = its power-of-two BAR size, READ, WRITE and MMAP (the core
     * adds CAPS); every other index from vfio-pci-core.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_ioctl_get_region_info_obj")
    public static int nvgraceGpuIoctlGetRegionInfoObj(VfioDevice core,
            VfioRegionInfoStruct info, VfioInfoCap caps, VfioMmap[] obj) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        MemRegion memregion = nvgraceGpuMemregion(info.index(), nvdev);
        if (memregion == null) {
            return VfioPciCore.vfioPciIoctlGetRegionInfoObj(core, info, caps, obj);
        }
        NvgraceGpuMmap mem = nvgraceGpuMmapAlloc(nvdev, (int) info.index(), memregion);
        RegionCap.Sparse sparse =
                RegionCap.Sparse.of(new VfioRegionSparseMmapArea(0, mem.memlength()));
        int ret = VfioInfoCap.vfioInfoAddCapability(caps, sparse);
        if (ret != 0) {
            return ret;
        }
        info.setSize(mem.size());
        info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE
                | VFIO_REGION_INFO_FLAG_MMAP);
        obj[0] = mem;
        return 0;
    }

    // ---------------------------------------------------------------- mmap and faults

    /**
     * {@code nvgrace_gpu_mmap_obj} (this series; v6.19's {@code nvgrace_gpu_mmap}, fault based):
     * other cookies go to {@code vfio_pci_core_mmap_obj}. For a fake BAR's cookie, with the
     * offset inside it from the cookie: -EOVERFLOW if the length or the end overflows (the
     * core has already kept the VMA inside the cookie, so no VMA reaches this), -EINVAL if the
     * range reaches past the real memory (not the reported BAR); no {@code VM_SHARED} check.
     * Sets {@code VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP}, the cookie's
     * {@code VM_ALLOW_ANY_UNCACHED} (resmem) and its protection (write-combining for resmem,
     * cacheable for usemem). The VMA's private data is the cookie. No entry is installed here.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_mmap_obj")
    public static int nvgraceGpuMmapObj(VfioDevice core, VmArea vma, VfioMmap obj) {
        if (!(obj instanceof NvgraceGpuMmap)) {
            return VfioPciCore.vfioPciCoreMmapObj(core, vma, obj);
        }
        NvgraceGpuMmap mem = (NvgraceGpuMmap) obj;
        long reqLen = vma.vmEnd() - vma.vmStart();
        long start = mem.vmaOffset(vma);
        long end = start + reqLen;
        if (Long.compareUnsigned(vma.vmEnd(), vma.vmStart()) < 0
                || Long.compareUnsigned(end, start) < 0) {
            return -EOVERFLOW;
        }
        if (Long.compareUnsigned(end, mem.memlength()) > 0) {
            return -EINVAL;
        }
        vma.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP, VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP);
        if (mem.allowAnyUncached()) {
            vma.vmFlagsSet(VmFlag.VM_ALLOW_ANY_UNCACHED);
        }
        vma.setPageProt(mem.pgprot());
        vma.setVmOps(NVGRACE_GPU_VFIO_PCI_MMAP_OPS);
        vma.setPrivateData(mem);
        return 0;
    }

    /**
     * {@code addr_to_pgoff}: the page of the fake BAR an address in the VMA maps, the VMA's own
     * page offset inside the cookie ({@code vfio_mmap_vma_pgoff()}) plus the address's page.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:addr_to_pgoff")
    static long addrToPgoff(NvgraceGpuMmap mem, VmArea vma, long addr) {
        Arch arch = vma.arch();
        return ((addr - vma.vmStart()) >>> arch.pageShift()) + mem.vmaPageOffset(vma);
    }

    /**
     * {@code nvgrace_gpu_vfio_pci_huge_fault}: SIGBUS for a VMA whose private data is no fake
     * BAR's cookie; align the address down to the order; the PFN is the cookie's base PFN plus
     * the page offset; fall back unless {@code is_aligned_for_order}; else, under
     * {@code memory_lock} for reading, SIGBUS unless the GPU is ready after a reset
     * ({@code nvgrace_gpu_check_device_ready}), then {@code vfio_pci_vmf_insert_pfn} (SIGBUS
     * while memory decode is off).
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_vfio_pci_huge_fault")
    static VmFaultResult nvgraceGpuVfioPciHugeFault(VmFault vmf, int order) {
        VmArea vma = vmf.vma();
        if (!(vma.privateData() instanceof NvgraceGpuMmap)) {
            return VmFaultResult.SIGBUS;
        }
        NvgraceGpuMmap mem = (NvgraceGpuMmap) vma.privateData();
        NvgraceGpuPciCoreDevice nvdev = toNv(mem.device());
        Arch arch = vma.arch();
        long addr = vmf.faultAddress() & ~((arch.pageSize() << order) - 1);
        long pfn = (mem.memphys() >>> arch.pageShift()) + addrToPgoff(mem, vma, addr);
        VmFaultResult ret = VmFaultResult.FALLBACK;
        if (VfioPciCore.isAlignedForOrder(vma, addr, pfn, order)) {
            nvdev.memoryLock().readLock().lock();
            try {
                if (nvgraceGpuCheckDeviceReady(nvdev) != 0) {
                    return VmFaultResult.SIGBUS;
                }
                ret = VfioPciCore.vfioPciVmfInsertPfn(nvdev, vmf, pfn, order);
            } finally {
                nvdev.memoryLock().readLock().unlock();
            }
        }
        return ret;
    }

    /** {@code nvgrace_gpu_vfio_pci_fault}: the huge fault at order 0. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_vfio_pci_fault")
    static VmFaultResult nvgraceGpuVfioPciFault(VmFault vmf) {
        return nvgraceGpuVfioPciHugeFault(vmf, 0);
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code nvgrace_gpu_read_obj} (this series): a fake BAR's cookie reads device memory,
     * config space goes through the BAR emulation, the rest to {@code vfio_pci_core_read_obj};
     * {@code pos} is the position inside the object.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_read_obj")
    public static long nvgraceGpuReadObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        if (obj instanceof NvgraceGpuMmap) {
            return nvgraceGpuReadMem(toNv(core), (NvgraceGpuMmap) obj, buf, count, pos);
        }
        if (obj.index() == VFIO_PCI_CONFIG_REGION_INDEX) {
            return nvgraceGpuReadConfigEmu(core, obj, buf, count, pos);
        }
        return VfioPciCore.vfioPciCoreReadObj(core, obj, buf, count, pos);
    }

    /** {@code nvgrace_gpu_write_obj}: as {@link #nvgraceGpuReadObj} for writes. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_write_obj")
    public static long nvgraceGpuWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        if (obj instanceof NvgraceGpuMmap) {
            return nvgraceGpuWriteMem(toNv(core), (NvgraceGpuMmap) obj, count, pos, buf);
        }
        if (obj.index() == VFIO_PCI_CONFIG_REGION_INDEX) {
            return nvgraceGpuWriteConfigEmu(core, obj, buf, count, pos);
        }
        return VfioPciCore.vfioPciCoreWriteObj(core, obj, buf, count, pos);
    }

    /**
     * {@code nvgrace_gpu_read_mem}: at {@code offset} inside the fake BAR's cookie, -EINVAL
     * from the reported BAR size (the cookie's size) on; the count is clipped to it; under
     * {@code memory_lock} for reading, the readiness check after a reset (-ETIME), then the part
     * inside real memory is read; the rest is filled with 0xFF.
     *
     * <p>As in the C, a resmem read returns straight after {@code nvgrace_gpu_map_and_read},
     * whose non-zero return is the byte count {@code vfio_pci_core_do_io_rw} transferred: a
     * resmem read that runs past the real memory is short (no 0xFF fill); usemem reads are
     * filled.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_read_mem")
    static long nvgraceGpuReadMem(NvgraceGpuPciCoreDevice nvdev, NvgraceGpuMmap mem,
            UserBuffer buf, long count, long offset) {
        if (Long.compareUnsigned(offset, mem.size()) >= 0) {
            return -EINVAL;
        }
        count = Math.min(count, mem.size() - offset);
        long memCount;
        if (offset >= mem.memlength()) {
            memCount = 0;
        } else {
            memCount = Math.min(count, mem.memlength() - offset);
        }
        nvdev.memoryLock().readLock().lock();
        try {
            long ret = nvgraceGpuCheckDeviceReady(nvdev);
            if (ret != 0) {
                return ret;
            }
            ret = nvgraceGpuMapAndRead(nvdev, mem, buf, memCount, offset);
            if (ret != 0) {
                return ret;
            }
        } finally {
            nvdev.memoryLock().readLock().unlock();
        }
        byte[] ff = {(byte) 0xff};
        for (long i = memCount; i < count; i++) {
            if (buf.copyToUser(i, ff, 0, 1) != 0) {
                return -EFAULT;
            }
        }
        return count;
    }

    /**
     * {@code nvgrace_gpu_map_and_read}: usemem is copied from its cacheable kernel mapping
     * (0, or -EFAULT); resmem goes through {@code vfio_pci_core_do_io_rw} without the memory
     * enable test (the hardware synthesises ~0 when decode is off), which returns the bytes
     * done.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_map_and_read")
    static long nvgraceGpuMapAndRead(NvgraceGpuPciCoreDevice nvdev, NvgraceGpuMmap obj,
            UserBuffer buf, long memCount, long offset) {
        if (memCount == 0) {
            return 0;
        }
        KernelMapping mem = deviceMemory(nvdev, obj);
        if (obj.index() == USEMEM_REGION_INDEX) {
            byte[] b = new byte[(int) memCount];
            mem.copyFrom(offset, b);
            return buf.copyToUser(0, b, 0, b.length) != 0 ? -EFAULT : 0;
        }
        return VfioPciRdwr.vfioPciCoreDoIoRw(nvdev, false, iomem(mem), buf, offset, memCount, 0, 0,
                false, VFIO_PCI_IO_WIDTH_8);
    }

    /**
     * {@code nvgrace_gpu_write_mem}: at {@code offset} inside the fake BAR's cookie, -EINVAL
     * from the reported BAR size on; the count is clipped to it; bytes past the real memory are
     * dropped; the rest is written under {@code memory_lock} for reading after the readiness
     * check (-ETIME). A resmem write returns the {@code vfio_pci_core_do_io_rw} count, so one
     * running past the real memory is short.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_write_mem")
    static long nvgraceGpuWriteMem(NvgraceGpuPciCoreDevice nvdev, NvgraceGpuMmap mem,
            long count, long offset, UserBuffer buf) {
        if (Long.compareUnsigned(offset, mem.size()) >= 0) {
            return -EINVAL;
        }
        count = Math.min(count, mem.size() - offset);
        if (offset >= mem.memlength()) {
            return count;
        }
        long memCount = Math.min(count, mem.memlength() - offset);
        nvdev.memoryLock().readLock().lock();
        try {
            long ret = nvgraceGpuCheckDeviceReady(nvdev);
            if (ret != 0) {
                return ret;
            }
            ret = nvgraceGpuMapAndWrite(nvdev, mem, buf, memCount, offset);
            if (ret != 0) {
                return ret;
            }
        } finally {
            nvdev.memoryLock().readLock().unlock();
        }
        return count;
    }

    /** {@code nvgrace_gpu_map_and_write}: the write side of {@link #nvgraceGpuMapAndRead}. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_map_and_write")
    static long nvgraceGpuMapAndWrite(NvgraceGpuPciCoreDevice nvdev, NvgraceGpuMmap obj,
            UserBuffer buf, long memCount, long pos) {
        if (memCount == 0) {
            return 0;
        }
        KernelMapping mem = deviceMemory(nvdev, obj);
        if (obj.index() == USEMEM_REGION_INDEX) {
            byte[] b = new byte[(int) memCount];
            if (buf.copyFromUser(b, 0, 0, b.length) != 0) {
                return -EFAULT;
            }
            mem.copyTo(pos, b);
            return 0;
        }
        return VfioPciRdwr.vfioPciCoreDoIoRw(nvdev, false, iomem(mem), buf, pos, memCount, 0, 0, true,
                VFIO_PCI_IO_WIDTH_8);
    }

    /**
     * {@code mem} as the {@code void __iomem *} handed to {@code vfio_pci_core_do_io_rw}: its
     * loads and stores at {@code memphys + offset}.
     */
    private static VfioPciRdwr.Io iomem(KernelMapping mem) {
        return new VfioPciRdwr.Io() {
            @Override
            public long read(long off, int width) {
                return mem.read(off, width);
            }

            @Override
            public void write(long off, int width, long value) {
                mem.write(off, width, value);
            }
        };
    }

    /**
     * {@code nvgrace_gpu_map_device_mem}: the kernel mapping of the memory behind a fake BAR's
     * cookie (memremap WB for usemem, ioremap_wc for resmem), here a window on the bus.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_map_device_mem")
    private static KernelMapping deviceMemory(NvgraceGpuPciCoreDevice nvdev,
            NvgraceGpuMmap mem) {
        return new KernelMapping(nvdev.pdev().bus(), mem.memphys(), mem.memlength());
    }

    // ---------------------------------------------------------------- config emulation

    /**
     * {@code nvgrace_gpu_get_read_value}: the emulated BAR register as a read sees it - the
     * written value with the bits below the BAR size cleared, plus the type flags - so sizing
     * with all-ones reads back the BAR size.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_get_read_value")
    static long nvgraceGpuGetReadValue(long barSize, long flags, long val64) {
        return (val64 & ~(barSize - 1)) | flags;
    }

    /**
     * {@code nvgrace_gpu_read_config_emu}: {@code vfio_pci_core_read_obj} of the config cookie
     * first, then the bytes overlapping PCI_BASE_ADDRESS_2..3 (resmem) or else
     * PCI_BASE_ADDRESS_4..5 (usemem) are replaced by the emulated value, 64-bit prefetchable,
     * at {@code pos} inside config space. Only the first register pair the access overlaps is
     * considered; without resmem an overlap with BAR2 leaves the core's value.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_read_config_emu")
    static long nvgraceGpuReadConfigEmu(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        long ret = VfioPciCore.vfioPciCoreReadObj(core, obj, buf, count, pos);
        if (ret < 0) {
            return ret;
        }
        MemRegion memregion = null;
        RangeIntersection r =
                VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_BASE_ADDRESS_2, 8);
        if (r != null) {
            memregion = nvgraceGpuMemregion(RESMEM_REGION_INDEX, nvdev);
        } else {
            r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_BASE_ADDRESS_4, 8);
            if (r != null) {
                memregion = nvgraceGpuMemregion(USEMEM_REGION_INDEX, nvdev);
            }
        }
        if (memregion != null) {
            long val64 = nvgraceGpuGetReadValue(memregion.barSize(),
                    PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
                    memregion.barVal());
            byte[] le = new byte[8];
            for (int i = 0; i < 8; i++) {
                le[i] = (byte) (val64 >>> (8 * i));
            }
            if (buf.copyToUser(r.bufOffset(), le, (int) r.registerOffset(),
                    (int) r.intersectCount()) != 0) {
                return -EFAULT;
            }
        }
        return count;
    }

    /**
     * {@code nvgrace_gpu_write_config_emu}: a write at {@code pos} inside config space
     * overlapping PCI_BASE_ADDRESS_2..3 (when resmem exists) or else PCI_BASE_ADDRESS_4..5
     * stores the overlapping bytes into {@code bar_val} and returns only their count; anything
     * else goes to {@code vfio_pci_core_write_obj}.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_write_config_emu")
    static long nvgraceGpuWriteConfigEmu(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        MemRegion memregion = null;
        RangeIntersection r =
                VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_BASE_ADDRESS_2, 8);
        if (r != null) {
            memregion = nvgraceGpuMemregion(RESMEM_REGION_INDEX, nvdev);
        } else {
            r = VfioPciCore.vfioPciCoreRangeIntersectRange(pos, count, PCI_BASE_ADDRESS_4, 8);
            if (r != null) {
                memregion = nvgraceGpuMemregion(USEMEM_REGION_INDEX, nvdev);
            }
        }
        if (memregion != null) {
            byte[] b = new byte[(int) r.intersectCount()];
            if (buf.copyFromUser(b, 0, r.bufOffset(), b.length) != 0) {
                return -EFAULT;
            }
            long v = memregion.barVal();
            for (int i = 0; i < b.length; i++) {
                int shift = 8 * (int) (r.registerOffset() + i);
                v = (v & ~(0xffL << shift)) | ((b[i] & 0xffL) << shift);
            }
            memregion.setBarVal(v);
            return r.intersectCount();
        }
        return VfioPciCore.vfioPciCoreWriteObj(core, obj, buf, count, pos);
    }
}
