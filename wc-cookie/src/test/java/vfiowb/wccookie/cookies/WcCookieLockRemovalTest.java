package vfiowb.wccookie.cookies;

import vfiowb.common.cookies.LockRemovalTests;
import vfiowb.wccookie.WcCookie;

class WcCookieLockRemovalTest extends LockRemovalTests {
    WcCookieLockRemovalTest() {
        super(new WcCookie());
    }
}
