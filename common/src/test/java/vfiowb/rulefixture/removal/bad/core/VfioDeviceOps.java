package vfiowb.rulefixture.removal.bad.core;

/** An ops table that kept one old member (with its type and builder method) beside a new one. */
public final class VfioDeviceOps {
    /** The removed member's type, still declared. */
    public interface Mmap {
        int mmap(Object vdev, Object vma);
    }

    /** A new member, which stays. */
    public interface MmapObj {
        int mmapObj(Object vdev, Object vma, Object obj);
    }

    private final Mmap mmap;
    private final MmapObj mmapObj;

    private VfioDeviceOps(Mmap mmap, MmapObj mmapObj) {
        this.mmap = mmap;
        this.mmapObj = mmapObj;
    }

    public MmapObj mmapObj() {
        return mmapObj;
    }

    /** Builder with the old setter left in. */
    public static final class Builder {
        private Mmap mmap;

        public Builder mmap(Mmap v) {
            this.mmap = v;
            return this;
        }

        public VfioDeviceOps build() {
            return new VfioDeviceOps(mmap, null);
        }
    }
}
