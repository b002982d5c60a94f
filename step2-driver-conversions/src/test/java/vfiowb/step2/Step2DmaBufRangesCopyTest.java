package vfiowb.step2;

import vfiowb.common.parity.DmaBufRangesCopyTests;

/** The dma-buf feature copies its ranges in as memdup_array_user does (issue 9 findings). */
class Step2DmaBufRangesCopyTest extends DmaBufRangesCopyTests {
    Step2DmaBufRangesCopyTest() {
        super(new Step2());
    }
}
