package vfiowb.workbench.trace;

import vfiowb.common.errno.ErrnoException;
import vfiowb.common.userspace.Process;

/**
 * The maple tree of {@code vfio_mmap} cookies a device file holds from stage 3 on, as the tree
 * renders itself ({@link vfiowb.common.userspace.KernelFile#mmapTreeDump()}). Files of stages or
 * drivers without a tree show nothing.
 */
public final class MapleView {
    private MapleView() {}

    /** The tree of {@code fd}'s file rendered, or null when the file has none (or fd is bad). */
    public static String of(Process p, int fd) {
        try {
            return p.file(fd).kernelFile().mmapTreeDump();
        } catch (ErrnoException e) {
            return null;
        }
    }
}
