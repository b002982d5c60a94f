package vfiowb.common.uapi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import vfiowb.common.Models;

/**
 * VFIO ioctl request numbers (include/uapi/linux/vfio.h, kernel-facts §A.1).
 *
 * <p>Every VFIO ioctl is declared {@code _IO(VFIO_TYPE, VFIO_BASE + n)}: no direction and no size
 * are encoded, because each argument structure carries its own {@code argsz}. With
 * {@code _IOC_NONE} = 0 (x86, arm64, riscv, s390) the request is therefore
 * {@code (VFIO_TYPE << 8) | (VFIO_BASE + n)}, which is what these constants hold. powerpc, mips,
 * sparc and alpha encode {@code _IOC_NONE} differently and are not modelled.
 *
 * <p>The same {@code n} means different things on different file types: the type1 and sPAPR
 * container ioctls ({@code VFIO_IOMMU_GET_INFO} = n 12 ... {@code VFIO_EEH_PE_OP} = n 21) reuse the
 * device numbers. The workbench has no container IOMMU, so those are not listed here; every
 * request listed below is unique, and {@link #name(int)} is unambiguous over this table.
 */
@Models("include/uapi/linux/vfio.h:VFIO_TYPE")
public final class VfioIoctl {
    private VfioIoctl() {}

    /** {@code ';'}, the ioctl "magic" of VFIO. */
    public static final int VFIO_TYPE = ';';
    public static final int VFIO_BASE = 100;
    /** The value {@code VFIO_GET_API_VERSION} returns. */
    public static final int VFIO_API_VERSION = 0;

    public static final int VFIO_GET_API_VERSION = VFIO_TYPE << 8 | VFIO_BASE;
    public static final int VFIO_CHECK_EXTENSION = VFIO_TYPE << 8 | VFIO_BASE + 1;
    public static final int VFIO_SET_IOMMU = VFIO_TYPE << 8 | VFIO_BASE + 2;
    public static final int VFIO_GROUP_GET_STATUS = VFIO_TYPE << 8 | VFIO_BASE + 3;
    public static final int VFIO_GROUP_SET_CONTAINER = VFIO_TYPE << 8 | VFIO_BASE + 4;
    public static final int VFIO_GROUP_UNSET_CONTAINER = VFIO_TYPE << 8 | VFIO_BASE + 5;
    public static final int VFIO_GROUP_GET_DEVICE_FD = VFIO_TYPE << 8 | VFIO_BASE + 6;
    public static final int VFIO_DEVICE_GET_INFO = VFIO_TYPE << 8 | VFIO_BASE + 7;
    public static final int VFIO_DEVICE_GET_REGION_INFO = VFIO_TYPE << 8 | VFIO_BASE + 8;
    public static final int VFIO_DEVICE_GET_IRQ_INFO = VFIO_TYPE << 8 | VFIO_BASE + 9;
    public static final int VFIO_DEVICE_SET_IRQS = VFIO_TYPE << 8 | VFIO_BASE + 10;
    public static final int VFIO_DEVICE_RESET = VFIO_TYPE << 8 | VFIO_BASE + 11;
    public static final int VFIO_DEVICE_GET_PCI_HOT_RESET_INFO = VFIO_TYPE << 8 | VFIO_BASE + 12;
    public static final int VFIO_DEVICE_PCI_HOT_RESET = VFIO_TYPE << 8 | VFIO_BASE + 13;
    public static final int VFIO_DEVICE_QUERY_GFX_PLANE = VFIO_TYPE << 8 | VFIO_BASE + 14;
    public static final int VFIO_DEVICE_GET_GFX_DMABUF = VFIO_TYPE << 8 | VFIO_BASE + 15;
    public static final int VFIO_DEVICE_IOEVENTFD = VFIO_TYPE << 8 | VFIO_BASE + 16;
    public static final int VFIO_DEVICE_FEATURE = VFIO_TYPE << 8 | VFIO_BASE + 17;
    /** cdev ({@code /dev/vfio/devices/vfioN}) only. */
    public static final int VFIO_DEVICE_BIND_IOMMUFD = VFIO_TYPE << 8 | VFIO_BASE + 18;
    /** cdev only. */
    public static final int VFIO_DEVICE_ATTACH_IOMMUFD_PT = VFIO_TYPE << 8 | VFIO_BASE + 19;
    /** cdev only. */
    public static final int VFIO_DEVICE_DETACH_IOMMUFD_PT = VFIO_TYPE << 8 | VFIO_BASE + 20;
    /** Issued on the migration data fd, not the device fd. */
    public static final int VFIO_MIG_GET_PRECOPY_INFO = VFIO_TYPE << 8 | VFIO_BASE + 21;

    /** The file an ioctl is issued on. */
    public enum Fd {
        CONTAINER,
        GROUP,
        /** A device file: the group's device fd or the cdev. */
        DEVICE,
        /** The data fd returned by a migration state transition. */
        MIG_DATA
    }

    /** One row of the table: the vfio.h name, {@code n} (offset from {@code VFIO_BASE}), the request and its file. */
    public record Entry(String name, int n, int request, Fd fd) {}

    private static final List<Entry> TABLE;
    /** {@link #TABLE} by request number, for {@link #lookup}: the fuzzer names every ioctl. */
    private static final java.util.Map<Integer, Entry> BY_REQUEST;

    static {
        String[] names = {
            "VFIO_GET_API_VERSION", "VFIO_CHECK_EXTENSION", "VFIO_SET_IOMMU",
            "VFIO_GROUP_GET_STATUS", "VFIO_GROUP_SET_CONTAINER", "VFIO_GROUP_UNSET_CONTAINER",
            "VFIO_GROUP_GET_DEVICE_FD", "VFIO_DEVICE_GET_INFO", "VFIO_DEVICE_GET_REGION_INFO",
            "VFIO_DEVICE_GET_IRQ_INFO", "VFIO_DEVICE_SET_IRQS", "VFIO_DEVICE_RESET",
            "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO", "VFIO_DEVICE_PCI_HOT_RESET",
            "VFIO_DEVICE_QUERY_GFX_PLANE", "VFIO_DEVICE_GET_GFX_DMABUF", "VFIO_DEVICE_IOEVENTFD",
            "VFIO_DEVICE_FEATURE", "VFIO_DEVICE_BIND_IOMMUFD", "VFIO_DEVICE_ATTACH_IOMMUFD_PT",
            "VFIO_DEVICE_DETACH_IOMMUFD_PT", "VFIO_MIG_GET_PRECOPY_INFO",
        };
        int[] requests = {
            VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU,
            VFIO_GROUP_GET_STATUS, VFIO_GROUP_SET_CONTAINER, VFIO_GROUP_UNSET_CONTAINER,
            VFIO_GROUP_GET_DEVICE_FD, VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO,
            VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_SET_IRQS, VFIO_DEVICE_RESET,
            VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, VFIO_DEVICE_PCI_HOT_RESET,
            VFIO_DEVICE_QUERY_GFX_PLANE, VFIO_DEVICE_GET_GFX_DMABUF, VFIO_DEVICE_IOEVENTFD,
            VFIO_DEVICE_FEATURE, VFIO_DEVICE_BIND_IOMMUFD, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
            VFIO_DEVICE_DETACH_IOMMUFD_PT, VFIO_MIG_GET_PRECOPY_INFO,
        };
        List<Entry> table = new ArrayList<>();
        for (int n = 0; n < names.length; n++) {
            Fd fd = n < 3 ? Fd.CONTAINER : n < 7 ? Fd.GROUP : n < 21 ? Fd.DEVICE : Fd.MIG_DATA;
            table.add(new Entry(names[n], n, requests[n], fd));
        }
        TABLE = Collections.unmodifiableList(table);
        java.util.Map<Integer, Entry> byRequest = new java.util.HashMap<>();
        for (Entry e : table) {
            byRequest.putIfAbsent(e.request(), e);
        }
        BY_REQUEST = Collections.unmodifiableMap(byRequest);
    }

    /** {@code _IO(VFIO_TYPE, VFIO_BASE + n)} with {@code _IOC_NONE} = 0. */
    public static int io(int n) {
        if (n < 0 || VFIO_BASE + n > 0xff) {
            throw new IllegalArgumentException("ioctl nr out of range: VFIO_BASE + " + n);
        }
        return VFIO_TYPE << 8 | VFIO_BASE + n;
    }

    /** Every modelled request in {@code n} order. */
    public static List<Entry> all() {
        return TABLE;
    }

    public static Optional<Entry> lookup(int request) {
        return Optional.ofNullable(BY_REQUEST.get(request));
    }

    /**
     * The vfio.h name of a request, for narration (the proposed {@code VFIO_DEVICE_GET_REGION_MMAP}
     * of {@link WcUapi#COOKIE} included, though {@link #all()} lists only merged ones); an unknown request is shown in hex with its
     * {@code VFIO_BASE} offset when it has VFIO's type ({@code "0x3B7A (VFIO_BASE + 22)"}).
     */
    public static String name(int request) {
        Optional<Entry> e = lookup(request);
        if (e.isPresent()) {
            return e.get().name();
        }
        if (request == VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP) {
            return "VFIO_DEVICE_GET_REGION_MMAP";
        }
        String hex = "0x" + Integer.toHexString(request).toUpperCase(Locale.ROOT);
        if ((request & ~0xffff) == 0 && request >>> 8 == VFIO_TYPE && (request & 0xff) >= VFIO_BASE) {
            return hex + " (VFIO_BASE + " + ((request & 0xff) - VFIO_BASE) + ")";
        }
        return hex;
    }
}
