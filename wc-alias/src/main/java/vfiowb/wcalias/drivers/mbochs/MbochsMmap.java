package vfiowb.wcalias.drivers.mbochs;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.wcalias.core.VfioMmap;

/**
 * {@code struct mbochs_mmap} (this series, samples/vfio-mdev/mbochs.c): mbochs' cookie, saying
 * which of its four regions with bytes it is: config space, the MMIO BAR (BAR2), the EDID region
 * (index 9) or video memory (BAR0). A video-memory cookie is what a mapping's
 * {@code vm_private_data} points at; the fault handler finds its page from the cookie and the
 * VMA's offset inside it. Immutable.
 */
@Models("samples/vfio-mdev/mbochs.c:struct mbochs_mmap")
public final class MbochsMmap extends VfioMmap {
    /** The region a cookie stands for. */
    enum Kind {
        CONFIG("config space"),
        MMIO("MMIO BAR"),
        EDID("EDID region"),
        MEMORY("video memory");

        private final String what;

        Kind(String what) {
            this.what = what;
        }
    }

    private final Kind kind;

    MbochsMmap(MbochsState s, int index, long size, Kind kind) {
        super(s, index, size);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    Kind kind() {
        return kind;
    }

    @Override
    protected String describe() {
        return kind.what;
    }
}
