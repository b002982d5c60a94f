package vfiowb.wcalias;

import vfiowb.common.parity.DmaBufRangesCopyTests;

/** The dma-buf feature copies its ranges in as memdup_array_user does (issue 9 findings). */
class WcAliasDmaBufRangesCopyTest extends DmaBufRangesCopyTests {
    WcAliasDmaBufRangesCopyTest() {
        super(new WcAlias());
    }
}
