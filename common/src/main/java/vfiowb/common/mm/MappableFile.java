package vfiowb.common.mm;

import vfiowb.common.Models;

/**
 * What mm sees of a {@code struct file} it maps: its address space, its {@code f_op->mmap},
 * its reference count and the flags {@code do_mmap()} consults.
 *
 * <p>The syscall boundary's open file implements this; the object a driver finds in
 * {@link VmArea#vmFile()} is {@link #file()}, the stage's own file.
 */
@Models("include/linux/fs.h:struct file")
public interface MappableFile {
    /** What {@link VmArea#vmFile()} returns for a VMA of this file. */
    Object file();

    /** {@code file->f_mapping}: the device inode's address space, shared by all its files. */
    AddressSpace mapping();

    /** {@code f_op->mmap} (through {@code call_mmap()}): 0 or a negative errno. */
    int mmap(VmArea vma);

    /** Whether {@code f_op->mmap} is set; do_mmap() answers ENODEV when it is not. */
    default boolean canMmap() {
        return true;
    }

    /**
     * Whether the file's fops carry {@code FOP_UNSIGNED_OFFSET}, which lifts file_mmap_ok()'s
     * {@code ULONG_MAX} limit on the length (not the test that the end stays below 2^64).
     * VFIO does not set it.
     */
    default boolean unsignedOffset() {
        return false;
    }

    /** {@code get_file()}: a VMA takes a reference. */
    void getFile();

    /** {@code fput()}: a VMA drops its reference; the last one releases the file. */
    void fput();
}
