package vfiowb.common.uapi;

/**
 * Where a piece of uAPI stands upstream (kernel-facts §H): what the model's numbers and layouts
 * rest on.
 */
public enum UapiStatus {
    /** In a released kernel's include/uapi/linux/vfio.h. */
    MERGED("merged"),
    /** As a patch series posted to the list defines it, not merged. */
    POSTED("posted, not merged"),
    /**
     * Proposed here: nothing posted defines it (a design sketched in a thread), or what was
     * posted cannot stand (a number taken since); each such definition says why in its Javadoc.
     */
    PROPOSED("proposed by the workbench");

    private final String label;

    UapiStatus(String label) {
        this.label = label;
    }

    /** For reports. */
    public String label() {
        return label;
    }
}
