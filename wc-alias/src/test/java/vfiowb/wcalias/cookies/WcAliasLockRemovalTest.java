package vfiowb.wcalias.cookies;

import vfiowb.common.cookies.LockRemovalTests;
import vfiowb.wcalias.WcAlias;

class WcAliasLockRemovalTest extends LockRemovalTests {
    WcAliasLockRemovalTest() {
        super(new WcAlias());
    }
}
