package vfiowb.rulefixture.removal.good.core;

/** An ops table with only the cookie members. */
public final class VfioDeviceOps {
    /** The cookie member. */
    public interface MmapObj {
        int mmapObj(Object vdev, Object vma, Object obj);
    }

    private final MmapObj mmapObj;

    private VfioDeviceOps(MmapObj mmapObj) {
        this.mmapObj = mmapObj;
    }

    public MmapObj mmapObj() {
        return mmapObj;
    }
}
