package vfiowb.common.conformance;

/** How a scenario or client run ended for one device. */
public enum Outcome {
    /** Every expectation held. */
    PASS,
    /** An expectation failed, an unexpected errno escaped, or the model broke an invariant. */
    FAIL,
    /**
     * The run ran into an upstream kernel bug the model reproduces ({@link
     * vfiowb.common.errno.KernelBug}) before anything else went wrong, and the model broke no
     * invariant: not a failure of the model, reported apart. Expectations that failed after the
     * bug are still listed: the kernel's state is not to be trusted past it.
     */
    KERNEL_BUG,
    /** The device lacks what the scenario needs (decided from GET_INFO, REGION_INFO, the spec). */
    NOT_APPLICABLE
}
