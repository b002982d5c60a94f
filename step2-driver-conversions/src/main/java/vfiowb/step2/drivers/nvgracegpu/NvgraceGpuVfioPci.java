package vfiowb.step2.drivers.nvgracegpu;

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
import vfiowb.step2.core.VfioDevice;
import vfiowb.step2.core.VfioDeviceOps;
import vfiowb.step2.drivers.nvgracegpu.NvgraceGpuPciCoreDevice.MemRegion;
import vfiowb.step2.pci.VfioPciCore;
import vfiowb.step2.pci.VfioPciCore.RangeIntersection;
import vfiowb.step2.pci.VfioPciCoreDevice;
import vfiowb.step2.pci.VfioPciDeviceOps;
import vfiowb.step2.pci.VfioPciOffsets;
import vfiowb.step2.pci.VfioPciRdwr;

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
     * info, read, write and mmap.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_pci_ops")
    public static final VfioDeviceOps NVGRACE_GPU_PCI_OPS =
            VfioDeviceOps.builder("nvgrace_gpu_pci_ops")
                    .name("nvgrace-gpu-vfio-pci")
                    .openDevice(NvgraceGpuVfioPci::nvgraceGpuOpenDevice)
                    .closeDevice(NvgraceGpuVfioPci::nvgraceGpuCloseDevice)
                    .ioctl(NvgraceGpuVfioPci::nvgraceGpuIoctl)
                    .getRegionInfoCaps(NvgraceGpuVfioPci::nvgraceGpuIoctlGetRegionInfo)
                    .read(NvgraceGpuVfioPci::nvgraceGpuRead)
                    .write(NvgraceGpuVfioPci::nvgraceGpuWrite)
                    .mmap(NvgraceGpuVfioPci::nvgraceGpuMmap)
                    .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
                    .build();

    /**
     * {@code nvgrace_gpu_pci_core_ops}: firmware describes no coherent memory, so only the
     * real BARs exist; the driver's open wrapper, everything else from vfio-pci-core.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_pci_core_ops")
    public static final VfioDeviceOps NVGRACE_GPU_PCI_CORE_OPS =
            VfioDeviceOps.builder("nvgrace_gpu_pci_core_ops")
                    .name("nvgrace-gpu-vfio-pci-core")
                    .openDevice(NvgraceGpuVfioPci::nvgraceGpuOpenDevice)
                    .closeDevice(VfioPciCore::vfioPciCoreCloseDevice)
                    .ioctl(VfioPciCore::vfioPciCoreIoctl)
                    .getRegionInfoCaps(VfioPciCore::vfioPciIoctlGetRegionInfo)
                    .read(VfioPciCore::vfioPciCoreRead)
                    .write(VfioPciCore::vfioPciCoreWrite)
                    .mmap(VfioPciCore::vfioPciCoreMmap)
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
     * {@code nvgrace_gpu_memregion}: the fake BAR an index names - usemem for BAR4, resmem for
     * BAR2 when it exists - or null.
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
     * {@code nvgrace_gpu_open_device} (both tables): {@code vfio_pci_core_enable}; with device
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
     * {@code nvgrace_gpu_ioctl_get_region_info}, the {@code get_region_info_caps} of
     * {@code nvgrace_gpu_pci_ops}: for a fake BAR, a one-area SPARSE_MMAP capability covering the
     * real memory, size = the power-of-two BAR size, READ, WRITE and MMAP (the core adds CAPS);
     * every other index from vfio-pci-core.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_ioctl_get_region_info")
    public static int nvgraceGpuIoctlGetRegionInfo(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        MemRegion memregion = nvgraceGpuMemregion(info.index(), nvdev);
        if (memregion == null) {
            return VfioPciCore.vfioPciIoctlGetRegionInfo(core, info, caps);
        }
        RegionCap.Sparse sparse =
                RegionCap.Sparse.of(new VfioRegionSparseMmapArea(0, memregion.memlength()));
        int ret = VfioInfoCap.vfioInfoAddCapability(caps, sparse);
        if (ret != 0) {
            return ret;
        }
        info.setOffset(VfioPciOffsets.indexToOffset(info.index()));
        info.setSize(memregion.barSize());
        info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE
                | VFIO_REGION_INFO_FLAG_MMAP);
        return 0;
    }

    // ---------------------------------------------------------------- mmap and faults

    /**
     * {@code nvgrace_gpu_mmap} (v6.19, fault based): other regions go to
     * {@code vfio_pci_core_mmap}. For a fake BAR: -EOVERFLOW if the length or the end
     * overflows (the page offset is below 2^28 pages, so no VMA reaches this on the modelled
     * architectures), -EINVAL if the range reaches past the real memory (not the reported BAR);
     * no {@code VM_SHARED} check. Sets {@code VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP};
     * resmem also gets {@code VM_ALLOW_ANY_UNCACHED} and {@code pgprot_writecombine}, usemem
     * keeps its cacheable protection. No entry is installed here.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_mmap")
    public static int nvgraceGpuMmap(VfioDevice core, VmArea vma) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        Arch arch = nvdev.arch();
        long index = VfioPciOffsets.vmaIndex(vma, arch);
        MemRegion memregion = nvgraceGpuMemregion(index, nvdev);
        if (memregion == null) {
            return VfioPciCore.vfioPciCoreMmap(core, vma);
        }
        long pgoff = VfioPciOffsets.vmaPageOffset(vma, arch);
        long reqLen = vma.vmEnd() - vma.vmStart();
        long start = pgoff << arch.pageShift();
        long end = start + reqLen;
        if (Long.compareUnsigned(vma.vmEnd(), vma.vmStart()) < 0
                || Long.compareUnsigned(end, start) < 0) {
            return -EOVERFLOW;
        }
        if (Long.compareUnsigned(end, memregion.memlength()) > 0) {
            return -EINVAL;
        }
        vma.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP, VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP);
        if (index == RESMEM_REGION_INDEX) {
            vma.vmFlagsSet(VmFlag.VM_ALLOW_ANY_UNCACHED);
            vma.setPageProt(PgProt.WC);
        }
        vma.setVmOps(NVGRACE_GPU_VFIO_PCI_MMAP_OPS);
        vma.setPrivateData(nvdev);
        return 0;
    }

    /** {@code addr_to_pgoff}: the page of the region an address in the VMA maps. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:addr_to_pgoff")
    static long addrToPgoff(VmArea vma, long addr) {
        Arch arch = vma.arch();
        return ((addr - vma.vmStart()) >>> arch.pageShift())
                + VfioPciOffsets.vmaPageOffset(vma, arch);
    }

    /**
     * {@code nvgrace_gpu_vfio_pci_huge_fault}: SIGBUS for a VMA that names no fake BAR; align the
     * address down to the order; the PFN is the region's base PFN plus the page offset; fall
     * back unless {@code is_aligned_for_order}; else, under {@code memory_lock} for reading,
     * SIGBUS unless the GPU is ready after a reset ({@code nvgrace_gpu_check_device_ready}),
     * then {@code vfio_pci_vmf_insert_pfn} (SIGBUS while memory decode is off).
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_vfio_pci_huge_fault")
    static VmFaultResult nvgraceGpuVfioPciHugeFault(VmFault vmf, int order) {
        VmArea vma = vmf.vma();
        NvgraceGpuPciCoreDevice nvdev = (NvgraceGpuPciCoreDevice) vma.privateData();
        Arch arch = vma.arch();
        long index = VfioPciOffsets.vmaIndex(vma, arch);
        MemRegion memregion = nvgraceGpuMemregion(index, nvdev);
        if (memregion == null) {
            return VmFaultResult.SIGBUS;
        }
        long addr = vmf.faultAddress() & ~((arch.pageSize() << order) - 1);
        long pfn = (memregion.memphys() >>> arch.pageShift()) + addrToPgoff(vma, addr);
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
     * {@code nvgrace_gpu_read}: a fake BAR reads device memory, config space goes through the
     * BAR emulation, the rest to {@code vfio_pci_core_read}.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_read")
    public static long nvgraceGpuRead(VfioDevice core, UserBuffer buf, long count, long ppos) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        long index = VfioPciOffsets.offsetToIndex(ppos);
        if (nvgraceGpuMemregion(index, nvdev) != null) {
            return nvgraceGpuReadMem(nvdev, buf, count, ppos);
        }
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            return nvgraceGpuReadConfigEmu(core, buf, count, ppos);
        }
        return VfioPciCore.vfioPciCoreRead(core, buf, count, ppos);
    }

    /** {@code nvgrace_gpu_write}: as {@link #nvgraceGpuRead} for writes. */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_write")
    public static long nvgraceGpuWrite(VfioDevice core, UserBuffer buf, long count, long ppos) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        long index = VfioPciOffsets.offsetToIndex(ppos);
        if (nvgraceGpuMemregion(index, nvdev) != null) {
            return nvgraceGpuWriteMem(nvdev, count, ppos, buf);
        }
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            return nvgraceGpuWriteConfigEmu(core, buf, count, ppos);
        }
        return VfioPciCore.vfioPciCoreWrite(core, buf, count, ppos);
    }

    /**
     * {@code nvgrace_gpu_read_mem}: -EINVAL from the reported BAR size on; the count is clipped
     * to it; under {@code memory_lock} for reading, the readiness check after a reset (-ETIME),
     * then the part inside real memory is read; the rest is filled with 0xFF.
     *
     * <p>As in the C, a resmem read returns straight after {@code nvgrace_gpu_map_and_read},
     * whose non-zero return is the byte count {@code vfio_pci_core_do_io_rw} transferred: a
     * resmem read that runs past the real memory is short (no 0xFF fill); usemem reads are
     * filled.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_read_mem")
    static long nvgraceGpuReadMem(NvgraceGpuPciCoreDevice nvdev, UserBuffer buf, long count,
            long ppos) {
        long offset = VfioPciOffsets.offsetInRegion(ppos);
        long index = VfioPciOffsets.offsetToIndex(ppos);
        MemRegion memregion = nvgraceGpuMemregion(index, nvdev);
        if (Long.compareUnsigned(offset, memregion.barSize()) >= 0) {
            return -EINVAL;
        }
        count = Math.min(count, memregion.barSize() - offset);
        long memCount;
        if (offset >= memregion.memlength()) {
            memCount = 0;
        } else {
            memCount = Math.min(count, memregion.memlength() - offset);
        }
        nvdev.memoryLock().readLock().lock();
        try {
            long ret = nvgraceGpuCheckDeviceReady(nvdev);
            if (ret != 0) {
                return ret;
            }
            ret = nvgraceGpuMapAndRead(nvdev, buf, memCount, ppos);
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
    static long nvgraceGpuMapAndRead(NvgraceGpuPciCoreDevice nvdev, UserBuffer buf,
            long memCount, long ppos) {
        long index = VfioPciOffsets.offsetToIndex(ppos);
        long offset = VfioPciOffsets.offsetInRegion(ppos);
        if (memCount == 0) {
            return 0;
        }
        KernelMapping mem = deviceMemory(nvdev, index);
        if (index == USEMEM_REGION_INDEX) {
            byte[] b = new byte[(int) memCount];
            mem.copyFrom(offset, b);
            return buf.copyToUser(0, b, 0, b.length) != 0 ? -EFAULT : 0;
        }
        return VfioPciRdwr.vfioPciCoreDoIoRw(nvdev, false, iomem(mem), buf, offset, memCount, 0, 0,
                false, VFIO_PCI_IO_WIDTH_8);
    }

    /**
     * {@code nvgrace_gpu_write_mem}: -EINVAL from the reported BAR size on; the count is
     * clipped to it; bytes past the real memory are dropped; the rest is written under
     * {@code memory_lock} for reading after the readiness check (-ETIME). A resmem write returns the
     * {@code vfio_pci_core_do_io_rw} count, so one running past the real memory is short.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_write_mem")
    static long nvgraceGpuWriteMem(NvgraceGpuPciCoreDevice nvdev, long count, long ppos,
            UserBuffer buf) {
        long offset = VfioPciOffsets.offsetInRegion(ppos);
        long index = VfioPciOffsets.offsetToIndex(ppos);
        MemRegion memregion = nvgraceGpuMemregion(index, nvdev);
        if (Long.compareUnsigned(offset, memregion.barSize()) >= 0) {
            return -EINVAL;
        }
        count = Math.min(count, memregion.barSize() - offset);
        if (offset >= memregion.memlength()) {
            return count;
        }
        long memCount = Math.min(count, memregion.memlength() - offset);
        nvdev.memoryLock().readLock().lock();
        try {
            long ret = nvgraceGpuCheckDeviceReady(nvdev);
            if (ret != 0) {
                return ret;
            }
            ret = nvgraceGpuMapAndWrite(nvdev, buf, memCount, ppos);
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
    static long nvgraceGpuMapAndWrite(NvgraceGpuPciCoreDevice nvdev, UserBuffer buf,
            long memCount, long ppos) {
        long index = VfioPciOffsets.offsetToIndex(ppos);
        long pos = VfioPciOffsets.offsetInRegion(ppos);
        if (memCount == 0) {
            return 0;
        }
        KernelMapping mem = deviceMemory(nvdev, index);
        if (index == USEMEM_REGION_INDEX) {
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
     * {@code nvgrace_gpu_map_device_mem}: the kernel mapping of one part of device memory
     * (memremap WB for usemem, ioremap_wc for resmem), here a window on the bus.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_map_device_mem")
    private static KernelMapping deviceMemory(NvgraceGpuPciCoreDevice nvdev, long index) {
        MemRegion memregion = nvgraceGpuMemregion(index, nvdev);
        return new KernelMapping(nvdev.pdev().bus(), memregion.memphys(), memregion.memlength());
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
     * {@code nvgrace_gpu_read_config_emu}: {@code vfio_pci_core_read} first, then the bytes
     * overlapping PCI_BASE_ADDRESS_2..3 (resmem) or else PCI_BASE_ADDRESS_4..5 (usemem) are
     * replaced by the emulated value, 64-bit prefetchable. Only the first register pair the
     * access overlaps is considered; without resmem an overlap with BAR2 leaves the core's
     * value.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_read_config_emu")
    static long nvgraceGpuReadConfigEmu(VfioDevice core, UserBuffer buf, long count,
            long ppos) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        long pos = VfioPciOffsets.offsetInRegion(ppos);
        long ret = VfioPciCore.vfioPciCoreRead(core, buf, count, ppos);
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
     * {@code nvgrace_gpu_write_config_emu}: a write overlapping PCI_BASE_ADDRESS_2..3 (when
     * resmem exists) or else PCI_BASE_ADDRESS_4..5 stores the overlapping bytes into
     * {@code bar_val} and returns only their count; anything else goes to
     * {@code vfio_pci_core_write}.
     */
    @Models("drivers/vfio/pci/nvgrace-gpu/main.c:nvgrace_gpu_write_config_emu")
    static long nvgraceGpuWriteConfigEmu(VfioDevice core, UserBuffer buf, long count,
            long ppos) {
        NvgraceGpuPciCoreDevice nvdev = toNv(core);
        long pos = VfioPciOffsets.offsetInRegion(ppos);
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
        return VfioPciCore.vfioPciCoreWrite(core, buf, count, ppos);
    }
}
