package vfiowb.wcdmabuf.pci;

import static vfiowb.common.errno.Errno.EINVAL;

import java.util.List;
import vfiowb.common.Models;
import vfiowb.common.dmabuf.DmaBuf;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.mm.VmOperations;
import vfiowb.common.uapi.VfioDeviceFeatureDmaBufMemattr;

/**
 * {@code struct vfio_pci_dma_buf} (drivers/vfio/pci/vfio_pci_dmabuf.c, v6.19, with Matt Evans'
 * mmap and memory-attribute patches: variant {@code wc-dmabuf}): ranges of one BAR exported as a
 * {@link DmaBuf}, which userspace may mmap. A dma-buf has an address space of its own, so the
 * device inode's zap does not reach its mappings: revocation walks the device's dma-bufs
 * ({@link VfioPciCore#vfioPciDmaBufMove}). The memory attribute ({@code DMA_BUF_MEMATTR})
 * applies to mmaps made after it is set; NC (uncached) is the default.
 *
 * <p>The model's dma-buf has no importers (no attachments, no {@code move_notify}): only the
 * exporter's mmap side, which the WC design needs.
 */
@Models("drivers/vfio/pci/vfio_pci_dmabuf.c:struct vfio_pci_dma_buf")
public final class VfioPciDmabuf {
    private final VfioPciCoreDevice vdev;
    private final int bar;
    private final List<long[]> ranges;
    private final DmaBuf dmabuf;
    private volatile int memattr = VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_NC;
    /** {@code priv->revoked}: set for good once the device is closed; faults then SIGBUS. */
    private volatile boolean revoked;

    VfioPciDmabuf(VfioPciCoreDevice vdev, int bar, List<long[]> ranges, long serial) {
        this.vdev = vdev;
        this.bar = bar;
        this.ranges = List.copyOf(ranges);
        long size = 0;
        for (long[] r : this.ranges) {
            size += r[1];
        }
        this.dmabuf = new DmaBuf("vfio-pci:" + vdev.dev().name(), size, VFIO_PCI_DMABUF_OPS, this,
                vdev.arch(), serial);
    }

    /** The {@code struct dma_buf} the descriptor names. */
    public DmaBuf dmabuf() {
        return dmabuf;
    }

    /** {@code priv->vdev}. */
    public VfioPciCoreDevice vdev() {
        return vdev;
    }

    /** The BAR the ranges are of. */
    public int bar() {
        return bar;
    }

    /** The {@code VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_*} later mmaps get. */
    public int memattr() {
        return memattr;
    }

    void setMemattr(int memattr) {
        this.memattr = memattr;
    }

    /** {@code vfio_pci_dma_buf_cleanup}'s part: the device is closed; no fault maps again. */
    void revokeForGood() {
        revoked = true;
        dmabuf.zap();
    }

    /** The BAR offset of byte {@code off} of the dma-buf, through its ranges; -1 past the end. */
    private long barOffset(long off) {
        long at = off;
        for (long[] r : ranges) {
            if (Long.compareUnsigned(at, r[1]) < 0) {
                return r[0] + at;
            }
            at -= r[1];
        }
        return -1;
    }

    /**
     * {@code vfio_pci_dma_buf_mmap} (Matt Evans): a shared mapping (-EINVAL otherwise), which the
     * dma-buf core has checked lies inside the buffer, with the dma-buf's memory attribute:
     * {@code pgprot_writecombine} for WC, {@code pgprot_noncached} for NC; a write-combined one
     * must stay off the MSI-X table (-EINVAL). Faults go through vfio-pci-core's
     * {@code vfio_pci_vmf_insert_pfn}, so memory disable and low power refuse them as for a BAR
     * mapping.
     */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_dma_buf_mmap")
    static int vfioPciDmaBufMmap(DmaBuf dmabuf, VmArea vma, long offset) {
        VfioPciDmabuf priv = (VfioPciDmabuf) dmabuf.priv();
        VfioPciCoreDevice vdev = priv.vdev;
        Arch arch = vdev.arch();
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -EINVAL;
        }
        boolean wc = priv.memattr == VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_WC;
        if (wc) {
            for (long at = 0; Long.compareUnsigned(at, vma.length()) < 0; at += arch.pageSize()) {
                long off = priv.barOffset(offset + at);
                if (VfioPciCore.vfioPciWcCoversMsix(vdev, priv.bar, off, arch.pageSize())) {
                    return -EINVAL;
                }
            }
        }
        int ret = VfioPciCore.vfioPciCoreSetupBarmap(vdev, priv.bar);
        if (ret != 0) {
            return ret;
        }
        vma.setPrivateData(priv);
        vma.setPageProt(wc ? PgProt.WC : PgProt.UC);
        vma.vmFlagsSet(VmFlag.VM_ALLOW_ANY_UNCACHED, VmFlag.VM_IO, VmFlag.VM_PFNMAP,
                VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP);
        vma.setVmOps(VFIO_PCI_DMA_BUF_VM_OPS);
        return 0;
    }

    /**
     * {@code vfio_pci_dma_buf_fault}: the PFN of the faulting page ({@code vmf->pgoff}, the page
     * of the buffer) through the ranges; SIGBUS once revoked for good, otherwise
     * {@code vfio_pci_vmf_insert_pfn} under {@code memory_lock} (SIGBUS while memory decode is
     * off or in low power). Page-sized only: a range need not be aligned for a huge entry, and the
     * model takes the simple path.
     */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_dma_buf_fault")
    static VmFaultResult vfioPciDmaBufFault(VmFault vmf) {
        VfioPciDmabuf priv = (VfioPciDmabuf) vmf.vma().privateData();
        VfioPciCoreDevice vdev = priv.vdev;
        Arch arch = vdev.arch();
        long off = priv.barOffset(vmf.pgoff() * arch.pageSize());
        if (off < 0) {
            return VmFaultResult.SIGBUS;
        }
        long pfn = (vdev.pdev().pciResourceStart(priv.bar) + off) / arch.pageSize();
        vdev.memoryLock.readLock().lock();
        try {
            if (priv.revoked) {
                return VmFaultResult.SIGBUS;
            }
            return VfioPciCore.vfioPciVmfInsertPfn(vdev, vmf, pfn, 0);
        } finally {
            vdev.memoryLock.readLock().unlock();
        }
    }

    /** {@code vfio_pci_dma_buf_release}: the last reference is gone; off the device's list. */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_dma_buf_release")
    static void vfioPciDmaBufRelease(DmaBuf dmabuf) {
        VfioPciDmabuf priv = (VfioPciDmabuf) dmabuf.priv();
        synchronized (priv.vdev.dmabufs) {
            priv.vdev.dmabufs.remove(priv);
        }
    }

    /** {@code vfio_pci_dmabuf_ops}. */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_dmabuf_ops")
    static final DmaBuf.Ops VFIO_PCI_DMABUF_OPS = new DmaBuf.Ops() {
        @Override
        public int mmap(DmaBuf dmabuf, VmArea vma, long offset) {
            return vfioPciDmaBufMmap(dmabuf, vma, offset);
        }

        @Override
        public void release(DmaBuf dmabuf) {
            vfioPciDmaBufRelease(dmabuf);
        }
    };

    /** {@code vfio_pci_dma_buf_vm_ops}: page faults only. */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_dma_buf_vm_ops")
    static final VmOperations VFIO_PCI_DMA_BUF_VM_OPS = new VmOperations() {
        @Override
        public VmFaultResult fault(VmFault vmf) {
            return vfioPciDmaBufFault(vmf);
        }

        @Override
        public String name() {
            return "vfio_pci_dma_buf_vm_ops";
        }
    };

    @Override
    public String toString() {
        return dmabuf.name() + "[BAR" + bar + ", memattr " + memattr + (revoked ? ", revoked" : "") + "]";
    }
}
