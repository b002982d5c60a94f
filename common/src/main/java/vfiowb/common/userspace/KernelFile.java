package vfiowb.common.userspace;

import vfiowb.common.Models;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.VmArea;

/**
 * An open device file as a stage implements it: the {@code struct file} (its private data, e.g.
 * a {@code vfio_device_file}) together with the device's {@code file_operations}.
 *
 * <p>Return values are the kernel's: a count or 0, or a negative errno. The syscall boundary
 * ({@link Process}) owns the reference counting: {@link #release()} is called once, when the
 * last file descriptor and the last mapping are gone.
 */
@Models("include/linux/fs.h:struct file_operations")
public interface KernelFile {
    /** {@code f_op->read(file, buf, count, &pos)} at file offset {@code pos}. */
    long read(UserBuffer buf, long count, long pos);

    /** {@code f_op->write(file, buf, count, &pos)} at file offset {@code pos}. */
    long write(UserBuffer buf, long count, long pos);

    /** {@code f_op->unlocked_ioctl(file, cmd, arg)}. */
    long unlockedIoctl(int cmd, UserBuffer arg);

    /** {@code f_op->mmap(file, vma)}: 0 or a negative errno. */
    int mmap(VmArea vma);

    /** {@code f_op->release(inode, file)}. */
    void release();

    /** {@code file->f_mapping}: the device inode's address space, shared by all its files. */
    AddressSpace mapping();

    /** A name for narration ({@code /dev/vfio/devices/vfio0}, ...). */
    String name();

    /**
     * Whether the fops set {@code FOP_UNSIGNED_OFFSET}, lifting the 4 GiB mmap limit that
     * {@code file_mmap_ok()} imposes on 32-bit. Upstream VFIO does not.
     */
    default boolean fopUnsignedOffset() {
        return false;
    }

    /**
     * The file's tree of mmap cookies as it renders itself, for narration; null for a stage or
     * a driver without one. Not a kernel interface: a debugger's view.
     */
    default String mmapTreeDump() {
        return null;
    }

    /**
     * How many ranges the file's tree of mmap cookies holds, or -1 for a file without one; a
     * debugger's view, for checking that the tree never grows without bound and dies with the
     * file.
     */
    default long mmapCookieCount() {
        return -1;
    }

    /**
     * Checks the file's tree of mmap cookies ({@code mt_validate()} and what the stage keeps
     * beside it), throwing {@link IllegalStateException} when it is broken; nothing for a file
     * without one. A debugger's view, for stress tests.
     */
    default void validateMmapTree() {
    }
}
