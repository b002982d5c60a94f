package vfiowb.common.conformance.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceFeatureAliasRegion;
import vfiowb.common.uapi.VfioDeviceFeatureDmaBuf;
import vfiowb.common.uapi.VfioDeviceFeatureDmaBufMemattr;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionGetMmap;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.WcUapi;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * How a client gets a write-combined mapping of part of a BAR through one of the three WC
 * uAPIs (issue 14): the calls a library such as DPDK's EAL would make, in order, and nothing
 * else. A refusal is the kernel's {@link ErrnoException}; every call made is in the
 * {@link Result}'s steps, so a caller can count them.
 */
public sealed interface WcMapper permits WcMapper.Cookie, WcMapper.Alias, WcMapper.Dmabuf {
    /**
     * A write-combined mapping and how it was reached.
     *
     * @param mapping the mapping
     * @param fd the descriptor mapped: the device file, or the dma-buf
     * @param fileOffset the offset mapped in {@code fd}
     * @param steps the system calls made, in order ({@code "ioctl VFIO_DEVICE_GET_REGION_MMAP"},
     *     {@code "mmap"})
     * @param region what the uAPI answered for the mapping: the cookie's offset, the alias index
     *     and its capability, or the dma-buf descriptor
     * @param aliasIndex the alias region's index, a handle every file of the device may use;
     *     -1 for the other designs
     */
    record Result(Mapping mapping, int fd, long fileOffset, List<String> steps, String region,
            long aliasIndex) {
        public Result {
            Objects.requireNonNull(mapping, "mapping");
            steps = List.copyOf(steps);
        }
    }

    /** The design this mapper speaks. */
    WcUapi uapi();

    /**
     * Maps bytes {@code [off, off + len)} of BAR {@code bar} of the device open at
     * {@code devFd} write-combined, read-write and shared. {@code off} and {@code len} are page
     * multiples.
     *
     * @throws ErrnoException the refusal of whichever call refused; nothing stays mapped
     */
    Result mapWc(Process p, int devFd, int bar, long off, long len);

    /** The mapper for {@code uapi}. */
    static WcMapper of(WcUapi uapi) {
        switch (uapi) {
            case COOKIE:
                return new Cookie();
            case ALIAS:
                return new Alias();
            default:
                return new Dmabuf();
        }
    }

    private static Mapping mmap(Process p, int fd, long offset, long len, List<String> steps) {
        steps.add("mmap");
        return p.mmap(0, len, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, fd, offset);
    }

    /** {@code VFIO_DEVICE_GET_REGION_MMAP} with the WC flag, then mmap of the offset it gives. */
    record Cookie() implements WcMapper {
        @Override
        public WcUapi uapi() {
            return WcUapi.COOKIE;
        }

        @Override
        public Result mapWc(Process p, int devFd, int bar, long off, long len) {
            List<String> steps = new ArrayList<>();
            byte[] arg = VfioRegionGetMmap.request(bar, VfioRegionGetMmap.VFIO_REGION_MMAP_FLAG_WC).encode();
            steps.add("ioctl VFIO_DEVICE_GET_REGION_MMAP");
            p.ioctl(devFd, VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP, arg);
            VfioRegionGetMmap r = VfioRegionGetMmap.decode(arg, 0);
            Mapping m = mmap(p, devFd, r.fdOffset() + off, len, steps);
            return new Result(m, devFd, r.fdOffset() + off, steps,
                    String.format("cookie at 0x%x, region_size 0x%x", r.fdOffset(), r.regionSize()), -1);
        }
    }

    /**
     * {@code VFIO_DEVICE_FEATURE_ALIAS_REGION} (GET, WC) for an alias index, REGION_INFO of it
     * for its offset (checking the capability names the BAR), then mmap.
     */
    record Alias() implements WcMapper {
        @Override
        public WcUapi uapi() {
            return WcUapi.ALIAS;
        }

        @Override
        public Result mapWc(Process p, int devFd, int bar, long off, long len) {
            List<String> steps = new ArrayList<>();
            int data = VfioDeviceFeature.dataOffset();
            byte[] arg = new byte[data + VfioDeviceFeatureAliasRegion.SIZE];
            new VfioDeviceFeature(arg.length, VfioDeviceFeature.flags(
                    VfioDeviceFeatureAliasRegion.VFIO_DEVICE_FEATURE_ALIAS_REGION,
                    VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET)).encodeInto(arg, 0);
            new VfioDeviceFeatureAliasRegion(VfioDeviceFeatureAliasRegion.VFIO_ALIAS_REGION_FLAG_WC,
                    bar, 0).encodeInto(arg, data);
            steps.add("ioctl VFIO_DEVICE_FEATURE ALIAS_REGION");
            p.ioctl(devFd, VfioIoctl.VFIO_DEVICE_FEATURE, arg);
            long alias = VfioDeviceFeatureAliasRegion.decode(arg, data).aliasIndex();
            byte[] info = new byte[64];
            new VfioRegionInfo(info.length, 0, alias, 0, 0, 0).encodeInto(info, 0);
            steps.add("ioctl VFIO_DEVICE_GET_REGION_INFO");
            p.ioctl(devFd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, info);
            VfioRegionInfo head = VfioRegionInfo.decode(info, 0);
            String cap = "no CAP_ALIAS";
            if (head.capOffset() != 0) {
                for (RegionCap c : vfiowb.common.uapi.CapChain.parse(info, head.argsz(), head.capOffset())) {
                    if (c instanceof RegionCap.Alias a) {
                        if (a.index() != bar) {
                            throw new IllegalStateException("alias " + alias + " of BAR" + bar
                                    + " names region " + a.index());
                        }
                        cap = "CAP_ALIAS index " + a.index() + " flags 0x" + Long.toHexString(a.flags());
                    }
                }
            }
            Mapping m = mmap(p, devFd, head.offset() + off, len, steps);
            return new Result(m, devFd, head.offset() + off, steps, "alias region " + alias + ", " + cap,
                    alias);
        }
    }

    /**
     * {@code VFIO_DEVICE_FEATURE_DMA_BUF} (GET) of the range for a dma-buf descriptor,
     * {@code VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR} (SET) WC on it, then mmap of the dma-buf.
     * A refusal after the export closes the dma-buf again.
     */
    record Dmabuf() implements WcMapper {
        @Override
        public WcUapi uapi() {
            return WcUapi.DMABUF;
        }

        @Override
        public Result mapWc(Process p, int devFd, int bar, long off, long len) {
            List<String> steps = new ArrayList<>();
            int data = VfioDeviceFeature.dataOffset();
            VfioDeviceFeatureDmaBuf req = VfioDeviceFeatureDmaBuf.of(bar, off, len);
            byte[] arg = new byte[data + req.encodedSize()];
            new VfioDeviceFeature(arg.length, VfioDeviceFeature.flags(
                    VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF,
                    VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET)).encodeInto(arg, 0);
            req.encodeInto(arg, data);
            steps.add("ioctl VFIO_DEVICE_FEATURE DMA_BUF");
            int dmabuf = (int) p.ioctl(devFd, VfioIoctl.VFIO_DEVICE_FEATURE, arg);
            try {
                byte[] attr = new byte[data + VfioDeviceFeatureDmaBufMemattr.SIZE];
                new VfioDeviceFeature(attr.length, VfioDeviceFeature.flags(
                        VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR,
                        VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET)).encodeInto(attr, 0);
                new VfioDeviceFeatureDmaBufMemattr(dmabuf,
                        VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_WC)
                        .encodeInto(attr, data);
                steps.add("ioctl VFIO_DEVICE_FEATURE DMA_BUF_MEMATTR");
                p.ioctl(devFd, VfioIoctl.VFIO_DEVICE_FEATURE, UserBuffer.wrap(attr));
                Mapping m = mmap(p, dmabuf, 0, len, steps);
                return new Result(m, dmabuf, 0, steps, "dma-buf fd " + dmabuf, -1);
            } catch (ErrnoException e) {
                p.close(dmabuf);
                throw e;
            }
        }
    }
}
