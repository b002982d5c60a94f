package vfiowb.rulefixture.tree.bad.drivers.foo;

import vfiowb.common.lib.MapleArea;
import vfiowb.common.lib.MapleTree;

/** Rule fixture: a driver that keeps its own pgoff tree and places its regions itself. */
public final class FooTreeDriver {
    private final MapleTree<String> own = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);

    public long placeRegion(long pages) {
        MapleArea a = own.allocRange(pages, 0, own.keyMax(), "bar0");
        return a.first();
    }
}
