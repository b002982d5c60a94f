package vfiowb.common.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/** A {@link MappableFile} whose mmap runs a test's lambda, counting references. */
final class TestFile implements MappableFile {
    final AddressSpace mapping;
    final AtomicInteger refs = new AtomicInteger(1);
    final List<VmArea> mmapped = new ArrayList<>();
    ToIntFunction<VmArea> onMmap;
    boolean unsignedOffset;
    /** False: a file without {@code f_op->mmap}. */
    boolean canMmap = true;

    TestFile(Arch arch, ToIntFunction<VmArea> onMmap) {
        this.mapping = new AddressSpace(arch, "test");
        this.onMmap = onMmap;
    }

    /** A file whose mmap makes a lazily faulted PFN map with {@code ops}. */
    static TestFile pfnmap(Arch arch, VmOperations ops) {
        return new TestFile(arch, vma -> {
            vma.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP, VmFlag.VM_DONTEXPAND,
                    VmFlag.VM_DONTDUMP);
            vma.setPageProt(PgProt.UC);
            vma.setVmOps(ops);
            return 0;
        });
    }

    @Override
    public Object file() {
        return this;
    }

    @Override
    public AddressSpace mapping() {
        return mapping;
    }

    @Override
    public int mmap(VmArea vma) {
        mmapped.add(vma);
        return onMmap.applyAsInt(vma);
    }

    @Override
    public boolean canMmap() {
        return canMmap;
    }

    @Override
    public boolean unsignedOffset() {
        return unsignedOffset;
    }

    @Override
    public void getFile() {
        refs.incrementAndGet();
    }

    @Override
    public void fput() {
        if (refs.decrementAndGet() < 0) {
            throw new IllegalStateException("fput underflow");
        }
    }
}
