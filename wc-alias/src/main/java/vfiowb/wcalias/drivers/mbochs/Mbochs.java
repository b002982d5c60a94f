package vfiowb.wcalias.drivers.mbochs;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR0_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR2_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_IRQS;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_REGIONS;

import vfiowb.common.Models;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.MbochsDevice;
import vfiowb.common.hw.PciConfigSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.mm.VmOperations;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionGfxEdid;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.core.VfioMmap;

/**
 * samples/vfio-mdev/mbochs.c as of v6.19 (after "Convert mbochs to use
 * vfio_info_add_capability()"), on this series' cookie ops: a Bochs display whose video memory
 * is ordinary pages, mapped by a {@code ->fault} handler that hands the core each page
 * ({@code vmf->page}), not PFNs. REGION_INFO hands the core an {@link MbochsMmap} for each
 * region with bytes and the core chooses its offset, where the sample packed them in pages
 * (the fixed {@code MBOCHS_*_OFFSET}s, now gone); read, write and mmap arrive with the object and the
 * offset inside it.
 *
 * <p>The sample's {@code mdev_access} bug is gone with the packed offsets: its video-memory path
 * subtracted {@code MBOCHS_MMIO_BAR_OFFSET} instead of {@code MBOCHS_MEMORY_BAR_OFFSET}, so a
 * file access at memory offset {@code x} reached page {@code x / PAGE_SIZE + 2} and the last
 * two pages indexed {@code pages[]} past its end (KASAN slab-out-of-bounds in
 * {@code __mbochs_get_page}, a {@link KernelBugException} in the stages before). With the offset
 * inside the object there is nothing to subtract: offset {@code x} is page
 * {@code x / PAGE_SIZE}, and no caller passes {@code __mbochs_get_page} a page past
 * {@code pagecount} any more.
 *
 * <p>Faithful quirks: EDID register and blob accesses that break the size rules are silently
 * ignored (the read returns whatever the buffer held, zero here) rather than refused;
 * GET_IRQ_INFO answers count 0 with the caller's flags. Not modelled: the GFX plane and dma-buf
 * ioctls (-ENOTTY here).
 */
@Models("samples/vfio-mdev/mbochs.c")
public final class Mbochs {
    /** {@code MBOCHS_EDID_REGION_INDEX}: {@code VFIO_PCI_NUM_REGIONS}. */
    private static final int MBOCHS_EDID_REGION_INDEX = VFIO_PCI_NUM_REGIONS;
    /** {@code MBOCHS_NUM_REGIONS}. */
    private static final int MBOCHS_NUM_REGIONS = MBOCHS_EDID_REGION_INDEX + 1;
    /** {@code MBOCHS_CONFIG_SPACE_SIZE}. */
    private static final int MBOCHS_CONFIG_SPACE_SIZE = 0xff;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    private static final int PCI_BASE_ADDRESS_2 = 0x18;
    private static final long PCI_BASE_ADDRESS_MEM_MASK = ~0x0fL & 0xFFFF_FFFFL;
    private static final int VBE_DISPI_INDEX_ID = 0x0;
    private static final int VBE_DISPI_INDEX_VIDEO_MEMORY_64K = 0xa;
    private static final int VBE_DISPI_ID5 = 0xB0C5;
    private static final int DISPI_BASE = 0x500;
    private static final int DISPI_LAST = 0x515;
    private static final int EDID_BLOCK_LAST = 0x3ff;

    private Mbochs() {}

    /** {@code mbochs_dev_ops}. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_dev_ops")
    public static final VfioDeviceOps MBOCHS_DEV_OPS = VfioDeviceOps.builder("mbochs_dev_ops")
            .closeDevice(Mbochs::mbochsCloseDevice)
            .ioctl(Mbochs::mbochsIoctl)
            .getRegionInfoObj(Mbochs::mbochsIoctlGetRegionInfoObj)
            .readObj(Mbochs::mbochsReadObj)
            .writeObj(Mbochs::mbochsWriteObj)
            .mmapObj(Mbochs::mbochsMmapObj)
            .build();

    /** {@code MBOCHS_MMIO_BAR_SIZE}: {@code PAGE_SIZE}. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_MMIO_BAR_SIZE")
    private static long mmioBarSize(Arch arch) {
        return arch.pageSize();
    }

    /** {@code MBOCHS_EDID_SIZE}: {@code PAGE_SIZE}. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_EDID_SIZE")
    private static long edidSize(Arch arch) {
        return arch.pageSize();
    }

    /** {@code MBOCHS_EDID_BLOB_OFFSET}: the blob fills the EDID region's second half. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_EDID_BLOB_OFFSET")
    private static long edidBlobOffset(Arch arch) {
        return edidSize(arch) / 2;
    }

    /**
     * {@code mbochs_probe} with {@code mbochs_init_dev}: EDID registers with the type's maximum
     * resolution, the blob at {@code MBOCHS_EDID_BLOB_OFFSET}, room for 1 KiB, no EDID yet
     * ({@code edid_size} 0, link state 0); then {@code mbochs_reset}. mbochs has no
     * {@code open_device}, so init sets {@code vdev->nr_regions} ({@code MBOCHS_NUM_REGIONS}).
     */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_init_dev")
    public static MbochsState mbochsProbe(MbochsDevice display, Arch arch) {
        MbochsState s = new MbochsState(MBOCHS_DEV_OPS, display, arch);
        s.setNrRegions(MBOCHS_NUM_REGIONS);
        s.maxXres = display.maxXres();
        s.maxYres = display.maxYres();
        s.edidOffset = edidBlobOffset(arch);
        s.edidMaxSize = s.edidBlob.length;
        mbochsReset(s);
        return s;
    }

    private static MbochsState toMbochs(VfioDevice vdev) {
        return (MbochsState) vdev;
    }

    /** {@code mbochs_reset}: DISPI registers zero but the ID and the video memory size. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_reset")
    static int mbochsReset(MbochsState s) {
        synchronized (s.opsLock) {
            java.util.Arrays.fill(s.vbe, 0);
            s.vbe[VBE_DISPI_INDEX_ID] = VBE_DISPI_ID5;
            s.vbe[VBE_DISPI_INDEX_VIDEO_MEMORY_64K] = (int) (s.memsize() / (64 * 1024));
        }
        return 0;
    }

    /** {@code mbochs_close_device}: drop the dma-bufs and put every page (video memory is gone). */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_close_device")
    public static void mbochsCloseDevice(VfioDevice vdev) {
        MbochsState s = toMbochs(vdev);
        synchronized (s.opsLock) {
            java.util.Arrays.fill(s.pages, false);
            s.display().memory().clear();
        }
    }

    /**
     * {@code __mbochs_get_page}: allocate the page on first use (zeroed) and return it, here as
     * its physical address. Upstream there is no bound check: the fault handler checks
     * {@code pagecount} first and {@code mdev_access} bounds the offset inside video memory by
     * {@code memsize}, so since the cookie conversion no caller reaches past {@code pages[]} (a
     * {@code kcalloc} of {@code pagecount} pointers); before it, {@code mdev_access}'s wrong base
     * did, from the last two pages of the memory BAR.
     *
     * @throws KernelBugException for a page at or past {@code pagecount}
     */
    @Models("samples/vfio-mdev/mbochs.c:__mbochs_get_page")
    static long mbochsGetPageLocked(MbochsState s, long pgoff) {
        if (pgoff < 0) {
            throw new IllegalStateException("mbochs: negative page " + pgoff);
        }
        if (pgoff >= s.pages.length) {
            throw new KernelBugException("samples/vfio-mdev/mbochs.c:__mbochs_get_page",
                    KernelBug.Kind.OUT_OF_BOUNDS, "pages[" + pgoff + "] read past pagecount "
                    + s.pages.length);
        }
        s.pages[(int) pgoff] = true;
        return s.display().memoryStart() + (pgoff << s.arch().pageShift());
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code handle_pci_cfg_write}: BAR0 and BAR2 answer an all-ones write with their size mask
     * (video memory, one page), keep their type bits; nothing else is writable.
     */
    @Models("samples/vfio-mdev/mbochs.c:handle_pci_cfg_write")
    static void handlePciCfgWrite(MbochsState s, int offset, byte[] buf) {
        if (offset != PCI_BASE_ADDRESS_0 && offset != PCI_BASE_ADDRESS_2) {
            return;
        }
        if (buf.length < 4) {
            throw cfgShortWrite(offset, buf.length);
        }
        PciConfigSpace vconfig = s.display().config();
        long barMask = offset == PCI_BASE_ADDRESS_0 ? ~s.memsize() + 1
                : ~mmioBarSize(s.arch()) + 1;
        long cfgAddr = le(buf, 4);
        if (cfgAddr == 0xFFFF_FFFFL) {
            cfgAddr &= barMask & 0xFFFF_FFFFL;
        } else {
            cfgAddr &= PCI_BASE_ADDRESS_MEM_MASK;
        }
        cfgAddr |= vconfig.read(offset, 1) & ~PCI_BASE_ADDRESS_MEM_MASK & 0xFF;
        vconfig.set(offset, 4, cfgAddr);
    }

    /**
     * {@code *(u32 *)buf} on a piece narrower than 4 bytes: {@code mbochs_write} passes each
     * piece as a {@code u8}, {@code u16} or {@code u32} local, so the read runs past it (KASAN
     * stack-out-of-bounds), and the stray stack bytes become the BAR's upper bits.
     */
    private static KernelBugException cfgShortWrite(int offset, int width) {
        return new KernelBugException("samples/vfio-mdev/mbochs.c:handle_pci_cfg_write",
                KernelBug.Kind.OUT_OF_BOUNDS, String.format("*(u32 *)buf at config 0x%x reads 4 "
                + "bytes of mbochs_write's %d-byte piece, %d past it", offset, width, 4 - width));
    }

    /** {@code handle_mmio_write}: 2-byte writes of the DISPI registers; the rest is dropped. */
    @Models("samples/vfio-mdev/mbochs.c:handle_mmio_write")
    static void handleMmioWrite(MbochsState s, int offset, byte[] buf, int count) {
        if (offset >= DISPI_BASE && offset <= DISPI_LAST && count == 2) {
            int index = (offset - DISPI_BASE) / 2;
            if (index < s.vbe.length) {
                s.vbe[index] = (int) le(buf, 2);
            }
        }
    }

    /**
     * {@code handle_mmio_read}: the first KiB mirrors the EDID blob while the link is up (zeros
     * past {@code edid_size} or with the link down), DISPI registers by 2-byte reads, zeros
     * elsewhere.
     */
    @Models("samples/vfio-mdev/mbochs.c:handle_mmio_read")
    static void handleMmioRead(MbochsState s, int offset, byte[] buf, int count) {
        java.util.Arrays.fill(buf, 0, count, (byte) 0);
        if (offset <= EDID_BLOCK_LAST) {
            if (s.linkState != VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_UP || offset >= s.edidSize) {
                return;
            }
            for (int i = 0; i < count && offset + i < s.edidBlob.length; i++) {
                buf[i] = s.edidBlob[offset + i];
            }
        } else if (offset >= DISPI_BASE && offset <= DISPI_LAST && count == 2) {
            int index = (offset - DISPI_BASE) / 2;
            int reg16 = index < s.vbe.length ? s.vbe[index] : 0;
            buf[0] = (byte) reg16;
            buf[1] = (byte) (reg16 >>> 8);
        }
    }

    /**
     * {@code handle_edid_regs}: 4-byte aligned accesses inside {@code struct
     * vfio_region_gfx_edid}, anything else silently ignored; only {@code link_state} and
     * {@code edid_size} are stored, unchecked.
     */
    @Models("samples/vfio-mdev/mbochs.c:handle_edid_regs")
    static void handleEdidRegs(MbochsState s, int offset, byte[] buf, int count, boolean isWrite) {
        if (offset + count > VfioRegionGfxEdid.SIZE || count != 4 || offset % 4 != 0) {
            return;
        }
        if (isWrite) {
            long v = le(buf, 4);
            if (offset == VfioRegionGfxEdid.LAYOUT.offsetOf("link_state")) {
                s.linkState = v;
            } else if (offset == VfioRegionGfxEdid.LAYOUT.offsetOf("edid_size")) {
                s.edidSize = v;
            }
        } else {
            byte[] regs = new VfioRegionGfxEdid(s.edidOffset, s.edidMaxSize, s.edidSize, s.maxXres,
                    s.maxYres, s.linkState).encode();
            System.arraycopy(regs, offset, buf, 0, count);
        }
    }

    /** {@code handle_edid_blob}: inside {@code edid_max_size}, else silently ignored. */
    @Models("samples/vfio-mdev/mbochs.c:handle_edid_blob")
    static void handleEdidBlob(MbochsState s, int offset, byte[] buf, int count, boolean isWrite) {
        if (offset + count > s.edidMaxSize) {
            return;
        }
        if (isWrite) {
            System.arraycopy(buf, 0, s.edidBlob, offset, count);
        } else {
            System.arraycopy(s.edidBlob, offset, buf, 0, count);
        }
    }

    /**
     * {@code mdev_access}: config space (below 0xff), the MMIO BAR, the EDID region (registers,
     * then the blob from {@code MBOCHS_EDID_BLOB_OFFSET}) and video memory by page, as the
     * object says; an access past the region fails (-1). The handlers take the offset as a
     * {@code u16}.
     */
    @Models("samples/vfio-mdev/mbochs.c:mdev_access")
    static long mdevAccess(MbochsState s, MbochsMmap obj, byte[] buf, int count, long off,
            boolean isWrite) {
        Arch arch = s.arch();
        synchronized (s.opsLock) {
            switch (obj.kind()) {
                case CONFIG:
                    if (off >= MBOCHS_CONFIG_SPACE_SIZE) {
                        return -1;
                    }
                    if (isWrite) {
                        handlePciCfgWrite(s, (int) off, buf);
                    } else {
                        PciConfigSpace vconfig = s.display().config();
                        for (int i = 0; i < count; i++) {
                            buf[i] = (byte) vconfig.read((int) off + i, 1);
                        }
                    }
                    break;
                case MMIO:
                    if (off + count > mmioBarSize(arch)) {
                        return -1;
                    }
                    if (isWrite) {
                        handleMmioWrite(s, u16(off), buf, count);
                    } else {
                        handleMmioRead(s, u16(off), buf, count);
                    }
                    break;
                case EDID:
                    if (off + count > edidSize(arch)) {
                        return -1;
                    }
                    if (off < edidBlobOffset(arch)) {
                        handleEdidRegs(s, u16(off), buf, count, isWrite);
                    } else {
                        handleEdidBlob(s, u16(off - edidBlobOffset(arch)), buf, count, isWrite);
                    }
                    break;
                case MEMORY:
                    if (off + count > s.memsize()) {
                        return -1;
                    }
                    long poff = off & (arch.pageSize() - 1);
                    long page = mbochsGetPageLocked(s, off >>> arch.pageShift());
                    long at = page - s.display().memoryStart() + poff;
                    if (isWrite) {
                        s.display().memory().writeBytes(at, buf, 0, count);
                    } else {
                        s.display().memory().readBytes(at, buf, 0, count);
                    }
                    break;
                default:
                    return -1;
            }
            return count;
        }
    }

    /** The handlers' {@code u16 offset} parameter: C truncates the value passed in. */
    private static int u16(long offset) {
        return (int) (offset & 0xFFFF);
    }

    private static long le(byte[] buf, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (i < buf.length ? buf[i] & 0xFFL : 0) << (8 * i);
        }
        return v;
    }

    /**
     * {@code mbochs_read_obj} (this series): 4-, 2- and 1-byte pieces of the region behind
     * {@code obj}; a failed piece makes it all -EFAULT.
     */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_read_obj")
    public static long mbochsReadObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf, long count,
            long off) {
        MbochsState s = toMbochs(vdev);
        MbochsMmap region = (MbochsMmap) obj;
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(count, off);
            byte[] val = new byte[filled];
            if (mdevAccess(s, region, val, filled, off, false) <= 0) {
                return -EFAULT;
            }
            if (buf.copyToUser(done, val, 0, filled) != 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            off += filled;
        }
        return done;
    }

    /** {@code mbochs_write_obj} (this series): as the read side. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_write_obj")
    public static long mbochsWriteObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf, long count,
            long off) {
        MbochsState s = toMbochs(vdev);
        MbochsMmap region = (MbochsMmap) obj;
        long done = 0;
        while (count != 0) {
            int filled = pieceWidth(count, off);
            byte[] val = new byte[filled];
            if (buf.copyFromUser(val, 0, done, filled) != 0) {
                return -EFAULT;
            }
            if (mdevAccess(s, region, val, filled, off, true) <= 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            off += filled;
        }
        return done;
    }

    private static int pieceWidth(long count, long off) {
        if (count >= 4 && off % 4 == 0) {
            return 4;
        }
        if (count >= 2 && off % 2 == 0) {
            return 2;
        }
        return 1;
    }

    // ---------------------------------------------------------------- mmap and fault

    /**
     * {@code mbochs_region_vm_fault}: the faulting page of video memory, found from the VMA's
     * cookie: the VMA's page inside it plus the page of the address inside the VMA (the sample
     * used the latter alone, right only while the VMA started at the memory's first page),
     * allocated on first touch and handed to the core ({@code vmf->page}), which maps it
     * ({@code finish_fault}). SIGBUS past the memory.
     */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_region_vm_fault")
    static VmFaultResult mbochsRegionVmFault(VmFault vmf) {
        VmArea vma = vmf.vma();
        MbochsMmap mem = (MbochsMmap) vma.privateData();
        MbochsState s = toMbochs(mem.device());
        long pageOffset = mem.vmaPageOffset(vma)
                + ((vmf.faultAddress() - vma.vmStart()) >>> s.arch().pageShift());
        if (pageOffset >= s.pagecount()) {
            return VmFaultResult.SIGBUS;
        }
        long page;
        synchronized (s.opsLock) {
            page = mbochsGetPageLocked(s, pageOffset);
        }
        return Memory.finishFault(vmf, page);
    }

    /** {@code mbochs_region_vm_ops}: {@code .fault} only. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_region_vm_ops")
    static final VmOperations MBOCHS_REGION_VM_OPS = new VmOperations() {
        @Override
        public VmFaultResult fault(VmFault vmf) {
            return mbochsRegionVmFault(vmf);
        }

        @Override
        public String name() {
            return "mbochs_region_vm_ops";
        }
    };

    /**
     * {@code mbochs_mmap_obj} (this series): the VMA's cookie must be video memory (the sample's
     * "{@code vm_pgoff} exactly {@code MBOCHS_MEMORY_BAR_OFFSET}") and the VMA shared (each
     * -EINVAL); installs the fault handler with the cookie as private data and nothing else: no
     * PTE, no VM_PFNMAP, protection unchanged. The VMA may start at any page of the memory; the
     * fault handler takes it from there. The sample's "no longer than video memory" test is
     * gone: {@code vfio_device_fops_mmap} refused (-ENXIO) a VMA that does not lie in the
     * cookie's pages, which are exactly video memory, before calling {@code mmap_obj}.
     */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_mmap_obj")
    public static int mbochsMmapObj(VfioDevice vdev, VmArea vma, VfioMmap obj) {
        MbochsMmap region = (MbochsMmap) obj;
        if (region.kind() != MbochsMmap.Kind.MEMORY) {
            return -EINVAL;
        }
        if (Long.compareUnsigned(vma.vmEnd(), vma.vmStart()) < 0) {
            return -EINVAL;
        }
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -EINVAL;
        }
        vma.setVmOps(MBOCHS_REGION_VM_OPS);
        vma.setPrivateData(region);
        return 0;
    }

    // ---------------------------------------------------------------- ioctl

    /**
     * {@code mbochs_ioctl_get_region_info_obj} (this series): indexes from 10 are -EINVAL;
     * config space (0xff bytes, R/W), BAR0 (video memory, R/W/MMAP), BAR2 (MMIO, one page, R/W)
     * and the EDID region (index 9, one page, R/W) with a GFX/EDID CAP_TYPE capability added by
     * {@code vfio_info_add_capability}, each with its cookie; every other fixed index empty (no
     * cookie). The offsets are the core's.
     */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_ioctl_get_region_info_obj")
    public static int mbochsIoctlGetRegionInfoObj(VfioDevice vdev, VfioRegionInfoStruct regionInfo,
            VfioInfoCap caps, VfioMmap[] obj) {
        MbochsState s = toMbochs(vdev);
        Arch arch = s.arch();
        long index = regionInfo.index();
        if (index >= MBOCHS_NUM_REGIONS) {
            return -EINVAL;
        }
        MbochsMmap.Kind kind;
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            regionInfo.setSize(MBOCHS_CONFIG_SPACE_SIZE);
            regionInfo.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE);
            kind = MbochsMmap.Kind.CONFIG;
        } else if (index == VFIO_PCI_BAR0_REGION_INDEX) {
            regionInfo.setSize(s.memsize());
            regionInfo.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE | VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP);
            kind = MbochsMmap.Kind.MEMORY;
        } else if (index == VFIO_PCI_BAR2_REGION_INDEX) {
            regionInfo.setSize(mmioBarSize(arch));
            regionInfo.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE);
            kind = MbochsMmap.Kind.MMIO;
        } else if (index == MBOCHS_EDID_REGION_INDEX) {
            regionInfo.setSize(edidSize(arch));
            regionInfo.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                    | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE | VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS);
            int ret = VfioInfoCap.vfioInfoAddCapability(caps, RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID));
            if (ret != 0) {
                return ret;
            }
            kind = MbochsMmap.Kind.EDID;
        } else {
            regionInfo.setSize(0);
            regionInfo.setFlags(0);
            return 0;
        }
        obj[0] = new MbochsMmap(s, (int) index, regionInfo.size(), kind);
        return 0;
    }

    /** {@code mbochs_ioctl}: GET_INFO, GET_IRQ_INFO, SET_IRQS (-EINVAL), RESET; else -ENOTTY. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_ioctl")
    public static long mbochsIoctl(VfioDevice vdev, int cmd, UserBuffer arg) {
        MbochsState s = toMbochs(vdev);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return mbochsIoctlGetInfo(arg);
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return mbochsIoctlGetIrqInfo(arg);
            case VfioIoctl.VFIO_DEVICE_SET_IRQS:
                return -EINVAL;
            case VfioIoctl.VFIO_DEVICE_RESET:
                return mbochsReset(s);
            default:
                return -ENOTTY;
        }
    }

    /** The GET_INFO case with {@code mbochs_get_device_info}: PCI, 10 regions, 5 IRQ indexes. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_get_device_info")
    static long mbochsIoctlGetInfo(UserBuffer arg) {
        final int minsz = VfioDeviceInfo.LAYOUT.field("num_irqs").end();
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        VfioDeviceInfo out = new VfioDeviceInfo(info.argsz(), VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI,
                MBOCHS_NUM_REGIONS, VFIO_PCI_NUM_IRQS, info.capOffset(), info.pad());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** The GET_IRQ_INFO case with {@code mbochs_get_irq_info}: index below 5, count 0. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_get_irq_info")
    static long mbochsIoctlGetIrqInfo(UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz || info.index() >= VFIO_PCI_NUM_IRQS) {
            return -EINVAL;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), info.flags(), info.index(), 0);
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }
}
