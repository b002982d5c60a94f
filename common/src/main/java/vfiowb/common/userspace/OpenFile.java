package vfiowb.common.userspace;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import vfiowb.common.Models;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.MappableFile;
import vfiowb.common.mm.VmArea;

/**
 * The reference-counted {@code struct file} around a stage's {@link KernelFile}: every file
 * descriptor (in any process) and every VMA holds one reference ({@code f_count}); the last
 * {@code fput()} calls {@code ->release}.
 */
@Models("include/linux/fs.h:struct file")
public final class OpenFile implements MappableFile {
    private final KernelFile file;
    private final AtomicLong count = new AtomicLong(1);

    OpenFile(KernelFile file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The stage's file. */
    public KernelFile kernelFile() {
        return file;
    }

    /** {@code file_count()}: references held by descriptors and VMAs. */
    public long fileCount() {
        return count.get();
    }

    /** Whether {@code ->release} has run. */
    public boolean isReleased() {
        return count.get() == 0;
    }

    @Override
    public Object file() {
        return file;
    }

    @Override
    public AddressSpace mapping() {
        return file.mapping();
    }

    @Override
    public int mmap(VmArea vma) {
        return file.mmap(vma);
    }

    @Override
    public boolean unsignedOffset() {
        return file.fopUnsignedOffset();
    }

    @Override
    @Models("include/linux/fs.h:get_file")
    public void getFile() {
        if (count.getAndIncrement() <= 0) {
            throw new IllegalStateException("get_file on a released file " + file.name());
        }
    }

    @Override
    @Models("fs/file_table.c:fput")
    public void fput() {
        long left = count.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("fput underflow on " + file.name());
        }
        if (left == 0) {
            file.release();
        }
    }

    @Override
    public String toString() {
        return "file[" + file.name() + ", f_count " + count.get() + "]";
    }
}
