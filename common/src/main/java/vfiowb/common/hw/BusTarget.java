package vfiowb.common.hw;

/**
 * Something that decodes a window of physical address space: a BAR's MMIO, a platform
 * resource, RAM. Offsets are relative to the start of the window.
 */
public interface BusTarget {
    long read(long offset, int width);

    void write(long offset, int width, long value);
}
