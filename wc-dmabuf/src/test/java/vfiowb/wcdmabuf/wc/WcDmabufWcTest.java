package vfiowb.wcdmabuf.wc;

import vfiowb.common.wc.WcVariantTests;
import vfiowb.wcdmabuf.WcDmabuf;

class WcDmabufWcTest extends WcVariantTests {
    WcDmabufWcTest() {
        super(new WcDmabuf());
    }
}
