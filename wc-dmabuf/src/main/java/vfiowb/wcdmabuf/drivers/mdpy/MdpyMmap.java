package vfiowb.wcdmabuf.drivers.mdpy;

import vfiowb.common.Models;
import vfiowb.wcdmabuf.core.VfioMmap;

/**
 * {@code struct mdpy_mmap} (this series, samples/vfio-mdev/mdpy.c): mdpy's cookie. Config space,
 * or a view of the {@code vmalloc_user} framebuffer ({@code memblk}, {@code memsize} bytes):
 * BAR0 and the display region 16 each get their own cookie, with their own pgoff range, onto the
 * same memory, where the sample reported one offset for both. Only a framebuffer cookie can be
 * mapped. Immutable.
 */
@Models("samples/vfio-mdev/mdpy.c:struct mdpy_mmap")
public final class MdpyMmap extends VfioMmap {
    /** {@code memblk} as the model's physical address of the area; unused for config space. */
    private final long memblk;
    private final boolean memory;

    private MdpyMmap(MdpyState s, int index, long size, long memblk, boolean memory) {
        super(s, index, size);
        this.memblk = memblk;
        this.memory = memory;
    }

    /** The cookie of the emulated config space. */
    static MdpyMmap config(MdpyState s, int index, long size) {
        return new MdpyMmap(s, index, size, 0, false);
    }

    /** A cookie onto the framebuffer at {@code memblk}, {@code memsize} bytes. */
    static MdpyMmap memory(MdpyState s, int index, long memblk, long memsize) {
        return new MdpyMmap(s, index, memsize, memblk, true);
    }

    /** Whether the cookie is a view of the framebuffer (the only thing mdpy maps). */
    boolean isMemory() {
        return memory;
    }

    /** {@code mmap->memblk}: the framebuffer's start. */
    long memblk() {
        if (!memory) {
            throw new IllegalStateException("config space has no memblk");
        }
        return memblk;
    }

    @Override
    protected String describe() {
        return memory ? String.format("framebuffer at 0x%x, 0x%x bytes", memblk, size())
                : "config space";
    }
}
