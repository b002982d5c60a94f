package vfiowb.common.stagetests;

import java.util.List;
import java.util.Map;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * What the tests written once (this package and below) need of a stage: the stage itself, booted
 * through {@link Stage#boot} and driven through {@link vfiowb.common.userspace.Process}, and the
 * few things a test must see that the syscall boundary does not show, as plain data and
 * functions over common types. A stage module implements it in one small class of its test
 * sources and hands it to each one-line subclass; nothing here names a stage class.
 */
public interface StageAdapter {
    /** The stage under test. */
    Stage stage();

    /** Every {@code vfio_device_ops} table of the stage's registry by C identifier, in order. */
    Map<String, OpsTable> opsTables();

    /** The C identifier of the ops table of the device behind {@code file} (of this stage). */
    String opsTableOf(KernelFile file);

    /**
     * Hands {@code vma} straight to the mmap handler of the driver behind {@code file}, past mm
     * and the core: the table's {@code mmap} up to stage 3, its {@code mmap_obj} with the cookie
     * covering {@code vm_pgoff} from stage 4 on. For the VMA shapes mm never builds
     * ({@link VmArea#withBoundsMmNeverBuilds}), which only the driver's own checks refuse.
     *
     * @return what the handler returned (0 or a negative errno)
     */
    int driverMmap(KernelFile file, VmArea vma);

    /**
     * A snapshot of the private state of the driver behind {@code file}, by the kernel's field
     * names, for the few behaviours the boundary cannot show (what close or reset did to the
     * driver, a value stored under a register that reads back masked). Numbers are
     * {@code Long}, flags {@code Boolean}, enum values their constant's name. The fields, by the
     * driver structure that holds them:
     *
     * <ul>
     *   <li>every {@code vfio_pci_core_device}: {@code ioeventfds_nr};
     *   <li>{@code hisi_acc_vf_core_device}: {@code drv_mode};
     *   <li>{@code nvgrace_gpu_pci_core_device}: {@code has_mig_hw_bug} and, for
     *       {@code usemem} and {@code resmem}, {@code .memphys}, {@code .memlength},
     *       {@code .bar_size}, {@code .bar_val} (e.g. {@code resmem.bar_val});
     *   <li>{@code virtiovf_pci_core_device}: {@code pci_cmd}, {@code pci_base_addr_0},
     *       {@code bar0_virtual_buf_size}, {@code notify_bar}, {@code notify_offset};
     *   <li>{@code ap_matrix_mdev}: {@code kvm_set} (its {@code kvm} is not NULL) and
     *       {@code queue_resets} (calls of {@code vfio_ap_mdev_reset_queues});
     *   <li>{@code vfio_platform_device}, {@code vfio_fsl_mc_device}, {@code intel_vgpu}:
     *       {@code reset_count}, the times the driver's reset ran;
     *   <li>{@code mbochs_state}: {@code pages_allocated}.
     * </ul>
     */
    Map<String, Object> driverState(KernelFile file);

    /**
     * A device file on the stage's core ({@code vfio_device_fops} over a freshly opened
     * {@code vfio_device_file}) whose ops table sets only {@code get_region_info_caps} and
     * {@code ioctl}, each when not null: lets a test watch what the core hands a driver.
     */
    KernelFile openBareDevice(RegionInfoCaps getRegionInfoCaps, Ioctl ioctl);

    /** One field of {@link #driverState}; fails when the driver has no such field. */
    default Object driverState(KernelFile file, String field) {
        Map<String, Object> s = driverState(file);
        if (!s.containsKey(field)) {
            throw new AssertionError("the driver behind " + file.name() + " has no " + field
                    + "; it has " + s.keySet());
        }
        return s.get(field);
    }

    /** A numeric field of {@link #driverState}. */
    default long driverLong(KernelFile file, String field) {
        return ((Number) driverState(file, field)).longValue();
    }

    /** An ops table as a test sees it. */
    record OpsTable(String tableName, String name, List<String> membersSet) {
        public OpsTable {
            membersSet = List.copyOf(membersSet);
        }
    }

    /** {@code get_region_info_caps(vdev, info, caps)} without the device. */
    @FunctionalInterface
    interface RegionInfoCaps {
        int getRegionInfoCaps(VfioRegionInfoStruct info, VfioInfoCap caps);
    }

    /** {@code ioctl(vdev, cmd, arg)} without the device. */
    @FunctionalInterface
    interface Ioctl {
        long ioctl(int cmd, UserBuffer arg);
    }
}
