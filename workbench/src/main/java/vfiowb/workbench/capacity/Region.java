package vfiowb.workbench.capacity;

import java.util.List;
import vfiowb.common.uapi.VfioRegionInfo;

/**
 * One region index of a device file as a QEMU-style probe saw it: REGION_INFO's answer (or its
 * errno), the areas QEMU would map, and how far read/write and mmap reach.
 *
 * @param index the region index asked for
 * @param name {@code BAR2}, {@code CONFIG}, {@code region 16}
 * @param errno REGION_INFO's errno name, or null when it answered
 * @param flags {@code VFIO_REGION_INFO_FLAG_*}
 * @param size the region's size
 * @param offset the device-file offset REGION_INFO reported
 * @param mmapAreas the ranges (offset in the region, size) a QEMU-style client maps: the sparse
 *     areas, or the whole region when it has none; empty without the MMAP flag
 * @param rw how far pread (pwrite for a write-only region) reaches; null for a region without
 *     bytes or without an answer
 * @param mmap how far mmap reaches; null likewise
 */
public record Region(long index, String name, String errno, long flags, long size, long offset,
        List<Area> mmapAreas, Reach rw, Reach mmap) {

    /** A range of a region that may be mapped. */
    public record Area(long offset, long size) {}

    public Region {
        mmapAreas = List.copyOf(mmapAreas);
    }

    /** Whether REGION_INFO answered and the region has bytes. */
    public boolean hasBytes() {
        return errno == null && size != 0;
    }

    /** Whether the region offers mmap ({@code VFIO_REGION_INFO_FLAG_MMAP}). */
    public boolean mmappable() {
        return errno == null && (flags & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) != 0;
    }

    /** {@code READ|WRITE|MMAP}. */
    public String flagNames() {
        return VfioRegionInfo.flagNames(flags);
    }

    /** One past the last byte of the region in the device file (unsigned). */
    public long end() {
        return offset + size;
    }
}
