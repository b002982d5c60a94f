package vfiowb.common.conformance;

/**
 * Ends a scenario or client run after it recorded why it cannot go on (a call it depends on
 * failed); the suite treats it as the failure already recorded, not as a model error.
 */
public final class AbortRun extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AbortRun(String why) {
        super(why, null, false, false);
    }
}
