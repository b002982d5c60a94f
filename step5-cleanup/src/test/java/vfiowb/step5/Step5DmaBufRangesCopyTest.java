package vfiowb.step5;

import vfiowb.common.parity.DmaBufRangesCopyTests;

/** The dma-buf feature copies its ranges in as memdup_array_user does (issue 9 findings). */
class Step5DmaBufRangesCopyTest extends DmaBufRangesCopyTests {
    Step5DmaBufRangesCopyTest() {
        super(new Step5());
    }
}
