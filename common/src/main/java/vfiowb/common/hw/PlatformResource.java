package vfiowb.common.hw;

/**
 * One resource of a non-PCI device as firmware (device tree, ACPI, the CDX controller)
 * describes it: an MMIO range or an I/O-port range, readable, and writable unless marked
 * {@code IORESOURCE_READONLY}. {@code start} is 0 until the device is placed on a bus.
 */
public record PlatformResource(String name, Kind kind, long start, long size, boolean writable) {

    /** The address space a resource lives in. */
    public enum Kind { MMIO, PIO }

    public PlatformResource {
        if (name == null || kind == null) {
            throw new IllegalArgumentException("resource needs a name and a kind");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("resource " + name + " has no size");
        }
    }

    public static PlatformResource mmio(String name, long size, boolean writable) {
        return new PlatformResource(name, Kind.MMIO, 0, size, writable);
    }

    public static PlatformResource pio(String name, long size) {
        return new PlatformResource(name, Kind.PIO, 0, size, true);
    }

    public PlatformResource withStart(long newStart) {
        return new PlatformResource(name, kind, newStart, size, writable);
    }

    /** Linux resources are always readable; vfio-platform reports READ for every region. */
    public boolean readable() {
        return true;
    }

    public boolean isMmio() {
        return kind == Kind.MMIO;
    }

    /** Last address of the resource ({@code res->end}). */
    public long end() {
        return start + size - 1;
    }

    /** {@code res->flags}: MEM or IO, plus READONLY when not writable. */
    public long flags() {
        long f = kind == Kind.MMIO ? IoResource.MEM.bit() : IoResource.IO.bit();
        return writable ? f : f | IoResource.READONLY.bit();
    }
}
