package vfiowb.rulefixture.tree.bad.core;

import vfiowb.common.lib.MapleTree;

/** Rule fixture: the core's per-file structure, holding the tree (allowed in the core). */
public final class VfioDeviceFile {
    final MapleTree<Object> mt = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);

    public MapleTree<Object> tree() {
        return mt;
    }
}
