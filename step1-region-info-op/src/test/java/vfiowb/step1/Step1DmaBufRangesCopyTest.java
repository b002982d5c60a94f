package vfiowb.step1;

import vfiowb.common.parity.DmaBufRangesCopyTests;

/** The dma-buf feature copies its ranges in as memdup_array_user does (issue 9 findings). */
class Step1DmaBufRangesCopyTest extends DmaBufRangesCopyTests {
    Step1DmaBufRangesCopyTest() {
        super(new Step1());
    }
}
