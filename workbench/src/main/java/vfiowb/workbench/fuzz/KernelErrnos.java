package vfiowb.workbench.fuzz;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.CdxDevice;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.FslMcDevice;
import vfiowb.common.hw.NvgraceGpu;

/**
 * The errnos the kernel gives for each call the fuzzer makes on a VFIO device file, from the
 * code paths it passes (kernel-facts §D and the functions named below); anything else a stage
 * answers is a modelling mistake.
 */
final class KernelErrnos {
    private enum Call { OPEN, CLOSE, IOCTL, PREAD, PWRITE, MMAP, MUNMAP, MEMORY }

    private final Map<Call, Set<Integer>> allowed = new EnumMap<>(Call.class);
    private final boolean cdx;

    private KernelErrnos(Device hw) {
        this.cdx = hw instanceof CdxDevice;
        // do_sys_open on the cdev or VFIO_GROUP_GET_DEVICE_FD: no such device, or it is busy.
        allowed.put(Call.OPEN, Set.of(Errno.ENOENT, Errno.ENODEV, Errno.EBUSY));
        // close_fd: only a bad descriptor.
        allowed.put(Call.CLOSE, Set.of(Errno.EBADF));
        // sys_ioctl -> vfio_device_fops_unlocked_ioctl -> the core's cases and the driver's ioctl:
        // EBADF (fdget), EFAULT (copy_from/to_user), EINVAL (argsz, index, flags, unsupported
        // reset, no ops->ioctl), ENOTTY (an unknown command in vfio_pci_core_ioctl and the
        // samples), EOPNOTSUPP (vfio-ap's own REGION_INFO before the series; feature probes),
        // ENOMEM and EIO from a driver's work, EOVERFLOW from a cookie the tree cannot key
        // (stage 3, byte keys on 32-bit), E2BIG (DEVICE_FEATURE payload too large).
        allowed.put(Call.IOCTL, Set.of(Errno.EBADF, Errno.EFAULT, Errno.EINVAL, Errno.ENOTTY,
                Errno.EOPNOTSUPP, Errno.ENOMEM, Errno.EIO, Errno.EOVERFLOW, Errno.E2BIG,
                Errno.EBUSY, Errno.ENODEV));
        // ksys_pread64/pwrite64 -> rw_verify_area (EINVAL) -> vfio_pci_core_read/write and the
        // drivers' rw: EINVAL (index, range, ROM write), EFAULT (copy_to/from_user), EIO (memory
        // decode off, an I/O BAR that cannot be reached), ENXIO (stage 3: no cookie there),
        // EPERM (a region without the access flag), EBADF.
        Set<Integer> rw = new TreeSet<>(Set.of(Errno.EBADF, Errno.EINVAL, Errno.EFAULT, Errno.EIO,
                Errno.ENXIO, Errno.EPERM, Errno.ENOMEM));
        if (hw instanceof NvgraceGpu) {
            // nvgrace_gpu_check_device_ready (v6.19): the GPU memory not ready after a reset.
            rw.add(Errno.ETIME);
        }
        allowed.put(Call.PREAD, Set.copyOf(rw));
        Set<Integer> w = new TreeSet<>(rw);
        if (hw instanceof FslMcDevice) {
            // vfio_fsl_mc_send_command: the MC did not take a command written to its portal.
            w.add(Errno.ETIMEDOUT);
        }
        allowed.put(Call.PWRITE, Set.copyOf(w));
        // ksys_mmap_pgoff/do_mmap (EINVAL, EOVERFLOW, ENOMEM, EBADF, ENODEV, EACCES, EEXIST for
        // MAP_FIXED_NOREPLACE, EOPNOTSUPP for MAP_SHARED_VALIDATE with a flag it does not know)
        // -> vfio_device_fops_mmap -> the driver: EINVAL in every driver's checks, EPERM only
        // vfio-cdx's permission check, ENXIO from a cookie miss (stage 3 on).
        allowed.put(Call.MMAP, Set.of(Errno.EBADF, Errno.EINVAL, Errno.EOVERFLOW, Errno.ENOMEM,
                Errno.ENODEV, Errno.EACCES, Errno.EEXIST, Errno.EOPNOTSUPP, Errno.ENXIO,
                Errno.EPERM));
        // __vm_munmap: only a bad range.
        allowed.put(Call.MUNMAP, Set.of(Errno.EINVAL));
        // run's memory op: REGION_INFO of the config region, pread and pwrite of PCI_COMMAND.
        Set<Integer> mem = new TreeSet<>(allowed.get(Call.IOCTL));
        mem.addAll(w);
        allowed.put(Call.MEMORY, Set.copyOf(mem));
    }

    static KernelErrnos forDevice(Device hw) {
        return new KernelErrnos(hw);
    }

    /**
     * Whether the kernel gives {@code errno} for {@code call} on this device; {@code tree}
     * says whether the stage's files carry a tree of mmap cookies (stage 3 on).
     */
    boolean allowed(String call, int errno, boolean tree) {
        Call c = call(call);
        if (c == null) {
            return false;
        }
        if (c == Call.MMAP && errno == Errno.EPERM && !cdx) {
            return false;
        }
        if ((c == Call.MMAP || c == Call.PREAD || c == Call.PWRITE) && errno == Errno.ENXIO && !tree) {
            return false;
        }
        return allowed.get(c).contains(errno);
    }

    /** {@code "mmap on this device"}: the call for a message, with what it may give. */
    String describe(String call) {
        Call c = call(call);
        return call + " (kernel: " + (c == null ? "nothing" : allowed.get(c).stream()
                .map(Errno::name).sorted().collect(Collectors.joining(", "))) + ")";
    }

    private static Call call(String name) {
        switch (name) {
            case "open":
                return Call.OPEN;
            case "close":
                return Call.CLOSE;
            case "ioctl":
                return Call.IOCTL;
            case "pread":
                return Call.PREAD;
            case "pwrite":
                return Call.PWRITE;
            case "mmap":
                return Call.MMAP;
            case "munmap":
                return Call.MUNMAP;
            case "memory":
                return Call.MEMORY;
            default:
                return null;
        }
    }
}
