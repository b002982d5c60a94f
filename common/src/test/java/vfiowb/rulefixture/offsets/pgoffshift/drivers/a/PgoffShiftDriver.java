package vfiowb.rulefixture.offsets.pgoffshift.drivers.a;

import vfiowb.common.mm.VmArea;

/** Rule fixture: an mmap op decoding the region index from vm_pgoff. */
public final class PgoffShiftDriver {
    public int mmap(VmArea vma, int pageShift) {
        long index = vma.vmPgoff() >>> (40 - pageShift);
        return index > 5 ? -22 : 0;
    }
}
