package vfiowb.step3;

import vfiowb.common.parity.DmaBufRangesCopyTests;

/** The dma-buf feature copies its ranges in as memdup_array_user does (issue 9 findings). */
class Step3DmaBufRangesCopyTest extends DmaBufRangesCopyTests {
    Step3DmaBufRangesCopyTest() {
        super(new Step3());
    }
}
