package vfiowb.common.hw;

/**
 * A device resource that has no room below the machine's physical address limit (or in its
 * window): the device cannot exist on that machine, as a BAR the PCI core cannot assign or a
 * firmware range beyond the CPU's reach cannot be used. A {@link IllegalStateException} so that
 * code which boots a device it never checked still fails loudly.
 */
public final class NoPhysicalSpaceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NoPhysicalSpaceException(String message) {
        super(message);
    }
}
