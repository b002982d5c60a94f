package vfiowb.rulefixture.tree.good.core;

import vfiowb.common.lib.MapleTree;

/** Rule fixture: the core places cookies in its tree and hands drivers the objects. */
public final class VfioMain {
    private final MapleTree<Object> mt = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);

    public Object load(long pgoff) {
        return mt.load(pgoff);
    }
}
