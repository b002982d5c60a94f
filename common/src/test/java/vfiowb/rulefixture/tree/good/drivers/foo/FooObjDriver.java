package vfiowb.rulefixture.tree.good.drivers.foo;

import vfiowb.rulefixture.tree.good.core.VfioMain;

/** Rule fixture: a driver that only receives the object the core looked up. */
public final class FooObjDriver {
    public Object mmapObj(VfioMain core, long pgoff) {
        return core.load(pgoff);
    }
}
