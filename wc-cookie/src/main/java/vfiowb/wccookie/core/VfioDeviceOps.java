package vfiowb.wccookie.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.mm.VmArea;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;

/**
 * {@code struct vfio_device_ops}: the table of callbacks a driver hands the core. Members are
 * nullable exactly where the C pointers may be NULL, and the core tests them the same way.
 *
 * <p>Only the members the series and the modelled paths use are here (kernel-facts §E.3):
 * iommufd binding, PASID, {@code match} and {@code dma_unmap} are left out. After the series
 * the members that took a file offset ({@code read}, {@code write}, {@code mmap}) and
 * {@code get_region_info_caps}, which reported one, are gone: a driver sees regions only
 * through its cookies.
 */
@Models("include/linux/vfio.h:struct vfio_device_ops")
public final class VfioDeviceOps {

    /** {@code int (*open_device)(struct vfio_device *vdev)}: first open of the device. */
    @FunctionalInterface
    public interface OpenDevice {
        int openDevice(VfioDevice vdev);
    }

    /** {@code void (*close_device)(struct vfio_device *vdev)}: last close. */
    @FunctionalInterface
    public interface CloseDevice {
        void closeDevice(VfioDevice vdev);
    }

    /** {@code long (*ioctl)(vdev, unsigned int cmd, unsigned long arg)}. */
    @FunctionalInterface
    public interface Ioctl {
        long ioctl(VfioDevice vdev, int cmd, UserBuffer arg);
    }

    /**
     * {@code int (*get_region_info_obj)(vdev, struct vfio_region_info *info,
     * struct vfio_info_cap *caps, struct vfio_mmap **obj)} (this series; once the old members are gone, the only
     * way to answer REGION_INFO): fill {@code info} for {@code info.index()} (size and flags),
     * add capabilities to {@code caps}, and for a region with bytes put a newly allocated cookie
     * object in {@code obj[0]} describing it. The driver never chooses the offset: the core gives the
     * object its pgoff range (or hands back the one this file already has for the region) and
     * writes {@code info->offset} from it.
     */
    @FunctionalInterface
    public interface GetRegionInfoObj {
        int getRegionInfoObj(VfioDevice vdev, VfioRegionInfoStruct info, VfioInfoCap caps,
                VfioMmap[] obj);
    }

    /**
     * {@code int (*get_region_mmap)(vdev, u32 index, u32 mmap_flags, struct vfio_mmap **obj)}
     * (variant {@code wc-cookie}): put in {@code obj[0]} a newly allocated cookie object of
     * region {@code index} whose mappings get the attributes of {@code mmap_flags}, or refuse
     * with an errno (a region that cannot be mapped so). As for {@code get_region_info_obj}
     * the core places the object, or keeps the one this file already has for the same region
     * and flags. A table without it cannot mint cookies: the ioctl is -ENOTTY.
     */
    @FunctionalInterface
    public interface GetRegionMmap {
        int getRegionMmap(VfioDevice vdev, int index, int mmapFlags, VfioMmap[] obj);
    }

    /**
     * {@code int (*mmap_obj)(vdev, struct vm_area_struct *vma, struct vfio_mmap *obj)} (this
     * series): map {@code vma}, which the core has checked lies wholly inside {@code obj}; the
     * page offset inside the object is {@code vma->vm_pgoff - obj->pgoff}.
     */
    @FunctionalInterface
    public interface MmapObj {
        int mmapObj(VfioDevice vdev, VmArea vma, VfioMmap obj);
    }

    /**
     * {@code ssize_t (*read_obj)(vdev, struct vfio_mmap *obj, char __user *buf, size_t count,
     * loff_t off)} (this series): {@code off} is the position inside the object.
     */
    @FunctionalInterface
    public interface ReadObj {
        long readObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf, long count, long off);
    }

    /** {@code ssize_t (*write_obj)(vdev, struct vfio_mmap *obj, const char __user *buf, ...)}. */
    @FunctionalInterface
    public interface WriteObj {
        long writeObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf, long count, long off);
    }

    /**
     * {@code int (*ioeventfd_obj)(vdev, struct vfio_mmap *obj, loff_t off, u64 data, int count,
     * int fd)} (this series): {@code VFIO_DEVICE_IOEVENTFD} with its offset already resolved
     * through the file's tree by the core.
     */
    @FunctionalInterface
    public interface IoeventfdObj {
        int ioeventfdObj(VfioDevice vdev, VfioMmap obj, long off, long data, int count, int fd);
    }

    /** {@code void (*request)(struct vfio_device *vdev, unsigned int count)}. */
    @FunctionalInterface
    public interface Request {
        void request(VfioDevice vdev, int count);
    }

    /**
     * {@code int (*device_feature)(vdev, u32 flags, void __user *arg, size_t argsz)}: {@code arg}
     * is the whole user buffer, the feature's {@code data[]} starting at byte 8, and
     * {@code argsz} counts the data bytes only, as in C.
     */
    @FunctionalInterface
    public interface DeviceFeature {
        int deviceFeature(VfioDevice vdev, int flags, UserBuffer arg, long argsz);
    }

    private final String tableName;
    private final String name;
    private final OpenDevice openDevice;
    private final CloseDevice closeDevice;
    private final Ioctl ioctl;
    private final GetRegionInfoObj getRegionInfoObj;
    private final GetRegionMmap getRegionMmap;
    private final MmapObj mmapObj;
    private final ReadObj readObj;
    private final WriteObj writeObj;
    private final IoeventfdObj ioeventfdObj;
    private final Request request;
    private final DeviceFeature deviceFeature;

    private VfioDeviceOps(Builder b) {
        this.tableName = Objects.requireNonNull(b.tableName, "tableName");
        this.name = b.name;
        this.openDevice = b.openDevice;
        this.closeDevice = b.closeDevice;
        this.ioctl = b.ioctl;
        this.getRegionInfoObj = b.getRegionInfoObj;
        this.getRegionMmap = b.getRegionMmap;
        this.mmapObj = b.mmapObj;
        this.readObj = b.readObj;
        this.writeObj = b.writeObj;
        this.ioeventfdObj = b.ioeventfdObj;
        this.request = b.request;
        this.deviceFeature = b.deviceFeature;
    }

    /** Starts a table; {@code tableName} is the C identifier, e.g. {@code vfio_pci_ops}. */
    public static Builder builder(String tableName) {
        return new Builder(tableName);
    }

    /** The C identifier of the table ({@code mlx5vf_pci_ops}, ...). */
    public String tableName() {
        return tableName;
    }

    /** {@code .name}: the driver name (required for vfio-pci drivers since v7.1). */
    public String name() {
        return name;
    }

    public OpenDevice openDevice() {
        return openDevice;
    }

    public CloseDevice closeDevice() {
        return closeDevice;
    }

    public Ioctl ioctl() {
        return ioctl;
    }

    public GetRegionInfoObj getRegionInfoObj() {
        return getRegionInfoObj;
    }

    public GetRegionMmap getRegionMmap() {
        return getRegionMmap;
    }

    public MmapObj mmapObj() {
        return mmapObj;
    }

    public ReadObj readObj() {
        return readObj;
    }

    public WriteObj writeObj() {
        return writeObj;
    }

    public IoeventfdObj ioeventfdObj() {
        return ioeventfdObj;
    }

    public Request request() {
        return request;
    }

    public DeviceFeature deviceFeature() {
        return deviceFeature;
    }

    /** The C member names this table sets, in declaration order (for reports and tests). */
    public List<String> membersSet() {
        List<String> m = new ArrayList<>();
        if (name != null) {
            m.add("name");
        }
        if (openDevice != null) {
            m.add("open_device");
        }
        if (closeDevice != null) {
            m.add("close_device");
        }
        if (ioctl != null) {
            m.add("ioctl");
        }
        if (getRegionInfoObj != null) {
            m.add("get_region_info_obj");
        }
        if (getRegionMmap != null) {
            m.add("get_region_mmap");
        }
        if (mmapObj != null) {
            m.add("mmap_obj");
        }
        if (readObj != null) {
            m.add("read_obj");
        }
        if (writeObj != null) {
            m.add("write_obj");
        }
        if (ioeventfdObj != null) {
            m.add("ioeventfd_obj");
        }
        if (request != null) {
            m.add("request");
        }
        if (deviceFeature != null) {
            m.add("device_feature");
        }
        return Collections.unmodifiableList(m);
    }

    @Override
    public String toString() {
        return tableName;
    }

    /** Designated-initializer style construction, as the C tables are written. */
    public static final class Builder {
        private final String tableName;
        private String name;
        private OpenDevice openDevice;
        private CloseDevice closeDevice;
        private Ioctl ioctl;
        private GetRegionInfoObj getRegionInfoObj;
        private GetRegionMmap getRegionMmap;
        private MmapObj mmapObj;
        private ReadObj readObj;
        private WriteObj writeObj;
        private IoeventfdObj ioeventfdObj;
        private Request request;
        private DeviceFeature deviceFeature;

        private Builder(String tableName) {
            this.tableName = tableName;
        }

        public Builder name(String v) {
            this.name = v;
            return this;
        }

        public Builder openDevice(OpenDevice v) {
            this.openDevice = v;
            return this;
        }

        public Builder closeDevice(CloseDevice v) {
            this.closeDevice = v;
            return this;
        }

        public Builder ioctl(Ioctl v) {
            this.ioctl = v;
            return this;
        }

        public Builder getRegionInfoObj(GetRegionInfoObj v) {
            this.getRegionInfoObj = v;
            return this;
        }

        public Builder getRegionMmap(GetRegionMmap v) {
            this.getRegionMmap = v;
            return this;
        }

        public Builder mmapObj(MmapObj v) {
            this.mmapObj = v;
            return this;
        }

        public Builder readObj(ReadObj v) {
            this.readObj = v;
            return this;
        }

        public Builder writeObj(WriteObj v) {
            this.writeObj = v;
            return this;
        }

        public Builder ioeventfdObj(IoeventfdObj v) {
            this.ioeventfdObj = v;
            return this;
        }

        public Builder request(Request v) {
            this.request = v;
            return this;
        }

        public Builder deviceFeature(DeviceFeature v) {
            this.deviceFeature = v;
            return this;
        }

        public VfioDeviceOps build() {
            return new VfioDeviceOps(this);
        }
    }
}
