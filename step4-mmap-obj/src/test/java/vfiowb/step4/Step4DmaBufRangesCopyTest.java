package vfiowb.step4;

import vfiowb.common.parity.DmaBufRangesCopyTests;

/** The dma-buf feature copies its ranges in as memdup_array_user does (issue 9 findings). */
class Step4DmaBufRangesCopyTest extends DmaBufRangesCopyTests {
    Step4DmaBufRangesCopyTest() {
        super(new Step4());
    }
}
