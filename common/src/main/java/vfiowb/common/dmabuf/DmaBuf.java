package vfiowb.common.dmabuf;

import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * {@code struct dma_buf} and its file (drivers/dma-buf/dma-buf.c): a buffer an exporter made,
 * reached through a file descriptor, with its own inode and so its own address space. The
 * exporter's callbacks ({@link Ops}, {@code struct dma_buf_ops}) do the work; the core checks
 * what is the same for every exporter.
 *
 * <p>Modelled: mmap ({@code dma_buf_mmap_internal}: a VMA past the buffer -EINVAL, then the exporter's op, which gets the offset of the VMA in the buffer) and
 * release. Not modelled: attachments and importers, fences, {@code DMA_BUF_IOCTL_SYNC} and the
 * other ioctls (-ENOTTY), read and write (the kernel's file has neither: -EINVAL).
 */
@Models("drivers/dma-buf/dma-buf.c:struct dma_buf")
public final class DmaBuf implements KernelFile {
    /** {@code struct dma_buf_ops}, the exporter's part. */
    public interface Ops {
        /**
         * {@code mmap(dmabuf, vma)}: map {@code vma}, which starts {@code offset} bytes into the
         * buffer and lies inside it.
         */
        int mmap(DmaBuf dmabuf, VmArea vma, long offset);

        /** {@code release(dmabuf)}: the last reference to the file is gone. */
        void release(DmaBuf dmabuf);
    }

    private final String exporter;
    private final long size;
    private final Ops ops;
    private final Object priv;
    private final Arch arch;
    private final AddressSpace mapping;
    private final String name;

    /**
     * {@code dma_buf_export()}.
     *
     * @param exporter the exporter's name ({@code exp_info.exp_name})
     * @param size the buffer's size in bytes, a page multiple
     * @param ops the exporter's callbacks
     * @param priv the exporter's private data ({@code dmabuf->priv})
     * @param arch the machine's architecture
     * @param serial distinguishes the exporter's buffers in names
     */
    @Models("drivers/dma-buf/dma-buf.c:dma_buf_export")
    public DmaBuf(String exporter, long size, Ops ops, Object priv, Arch arch, long serial) {
        this.exporter = Objects.requireNonNull(exporter, "exporter");
        this.ops = Objects.requireNonNull(ops, "ops");
        this.priv = priv;
        this.arch = Objects.requireNonNull(arch, "arch");
        if (size <= 0 || !arch.isPageAligned(size)) {
            throw new IllegalArgumentException("dma-buf of " + size + " bytes");
        }
        this.size = size;
        this.name = "dmabuf:" + exporter + ":" + serial;
        this.mapping = new AddressSpace(arch, name);
    }

    /** {@code dmabuf->priv}. */
    public Object priv() {
        return priv;
    }

    /** {@code dmabuf->size}. */
    public long size() {
        return size;
    }

    /** {@code dmabuf->exp_name}. */
    public String exporter() {
        return exporter;
    }

    /** {@code unmap_mapping_range()} of the whole buffer on its own inode: every mapping of it. */
    public long zap() {
        return mapping.unmapMappingPages(0, size >>> arch.pageShift(), true);
    }

    @Override
    public long read(UserBuffer buf, long count, long pos) {
        return -EINVAL;
    }

    @Override
    public long write(UserBuffer buf, long count, long pos) {
        return -EINVAL;
    }

    @Override
    public long unlockedIoctl(int cmd, UserBuffer arg) {
        return -ENOTTY;
    }

    /**
     * {@code dma_buf_mmap_internal} (an exporter without {@code mmap}, -ENODEV, is not modelled:
     * {@link Ops} has one): -EINVAL when {@code vm_pgoff + vma_pages} passes the buffer's pages, else the
     * exporter's mmap with the VMA's byte offset in the buffer.
     */
    @Override
    @Models("drivers/dma-buf/dma-buf.c:dma_buf_mmap_internal")
    public int mmap(VmArea vma) {
        long pages = size >>> arch.pageShift();
        if (Long.compareUnsigned(vma.vmPgoff(), pages) > 0
                || Long.compareUnsigned(vma.vmaPages(), pages - vma.vmPgoff()) > 0) {
            return -EINVAL;
        }
        return ops.mmap(this, vma, vma.vmPgoff() << arch.pageShift());
    }

    @Override
    @Models("drivers/dma-buf/dma-buf.c:dma_buf_file_release")
    public void release() {
        ops.release(this);
    }

    @Override
    public AddressSpace mapping() {
        return mapping;
    }

    /** As {@code /proc/PID/maps} names the file: {@code dmabuf:EXPORTER:N}. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + "[" + size + " bytes]";
    }
}
