package vfiowb.wcalias.drivers.mbochs;

import vfiowb.common.Models;
import vfiowb.common.hw.MbochsDevice;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;

/**
 * mbochs' {@code struct mdev_state}: the Bochs DISPI registers ({@code vbe[]}), the video
 * memory pages (allocated on first touch; the device model's RAM, one page per
 * {@code PAGE_SIZE}), the EDID registers and a 1 KiB EDID blob.
 */
@Models("samples/vfio-mdev/mbochs.c:struct mdev_state")
public final class MbochsState extends VfioDevice {
    /** {@code VBE_DISPI_INDEX_COUNT}. */
    static final int VBE_DISPI_INDEX_COUNT = 0xb;

    private final MbochsDevice display;
    final int[] vbe = new int[VBE_DISPI_INDEX_COUNT];
    /** {@code mdev_state->pages[i] != NULL}. */
    final boolean[] pages;
    long edidOffset;
    long edidMaxSize;
    long edidSize;
    long maxXres;
    long maxYres;
    long linkState;
    final byte[] edidBlob = new byte[0x400];
    final Object opsLock = new Object();

    MbochsState(VfioDeviceOps ops, MbochsDevice display, Arch arch) {
        super(ops, display, arch);
        this.display = display;
        this.pages = new boolean[(int) (display.memsize() >>> arch.pageShift())];
    }

    MbochsDevice display() {
        return display;
    }

    /** {@code mdev_state->memsize}. */
    long memsize() {
        return display.memsize();
    }

    /** {@code mdev_state->pagecount}. */
    long pagecount() {
        return pages.length;
    }

    /** Pages of video memory allocated so far. */
    public int pagesAllocated() {
        synchronized (opsLock) {
            int n = 0;
            for (boolean p : pages) {
                if (p) {
                    n++;
                }
            }
            return n;
        }
    }
}
