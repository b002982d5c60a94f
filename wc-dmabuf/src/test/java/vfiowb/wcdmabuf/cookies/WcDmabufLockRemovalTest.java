package vfiowb.wcdmabuf.cookies;

import vfiowb.common.cookies.LockRemovalTests;
import vfiowb.wcdmabuf.WcDmabuf;

class WcDmabufLockRemovalTest extends LockRemovalTests {
    WcDmabufLockRemovalTest() {
        super(new WcDmabuf());
    }
}
