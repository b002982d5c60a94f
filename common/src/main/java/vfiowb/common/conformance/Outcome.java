package vfiowb.common.conformance;

/** How a scenario or client run ended for one device. */
public enum Outcome {
    /** Every expectation held. */
    PASS,
    /** An expectation failed, an unexpected errno escaped, or the model broke an invariant. */
    FAIL,
    /** The device lacks what the scenario needs (decided from GET_INFO, REGION_INFO, the spec). */
    NOT_APPLICABLE
}
