package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * The dma-buf WC uAPI (issue 14, variant {@code wc-dmabuf}): the payload of
 * {@code VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR}, a SET on the device file that gives a dma-buf the
 * device exported the CPU memory attribute its later mmaps get. Status {@link UapiStatus#POSTED}:
 * Matt Evans, "vfio/pci: Add mmap() attributes to DMABUF feature", v3 (10 Jun 2026) and v4
 * (1 Jul 2026), numbers and layout as posted (kernel-facts §A.8, §H.4): feature 14,
 * {@code {__s32 dmabuf_fd; __u32 memattr}}, NC 0 (the default) and WC 1; SET only; only future
 * mmaps change; a descriptor that is not a dma-buf is -EBADF, a dma-buf of another device
 * -ENODEV, an attribute the kernel does not know -ENOENT. The same series' mmap of a dma-buf fd
 * is not uAPI (it is the fd's {@code f_op->mmap}); its {@code VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE}
 * (13) is not modelled.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_device_feature_dma_buf_memattr")
public record VfioDeviceFeatureDmaBufMemattr(int dmabufFd, long memattr) implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_device_feature_dma_buf_memattr")
        .s32("dmabuf_fd").u32("memattr").build();
    public static final int SIZE = LAYOUT.size();

    /** Posted (Matt Evans v4). */
    public static final int VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE = 13;
    /** Posted (Matt Evans v4). */
    public static final int VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR = 14;
    /** Non-cached: {@code pgprot_noncached}, the default of every export. Posted. */
    public static final int VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_NC = 0;
    /** Write-combined: {@code pgprot_writecombine}. Posted. */
    public static final int VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_WC = 1;

    private static final UapiField FD = LAYOUT.field("dmabuf_fd");
    private static final UapiField MEMATTR = LAYOUT.field("memattr");

    public VfioDeviceFeatureDmaBufMemattr {
        Checks.u32("memattr", memattr);
    }

    public static VfioDeviceFeatureDmaBufMemattr decode(byte[] buf, int off) {
        return new VfioDeviceFeatureDmaBufMemattr(FD.getS32(buf, off), MEMATTR.getU32(buf, off));
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        FD.putS32(buf, off, dmabufFd);
        MEMATTR.putU32(buf, off, memattr);
    }
}
