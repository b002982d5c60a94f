package vfiowb.wccookie;

import vfiowb.common.parity.DmaBufRangesCopyTests;

/** The dma-buf feature copies its ranges in as memdup_array_user does (issue 9 findings). */
class WcCookieDmaBufRangesCopyTest extends DmaBufRangesCopyTests {
    WcCookieDmaBufRangesCopyTest() {
        super(new WcCookie());
    }
}
