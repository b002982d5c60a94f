package vfiowb.common.userspace;

import java.util.function.Supplier;
import vfiowb.common.Models;

/**
 * The kernel's {@code current} as far as a driver needs it from inside a system call: the
 * calling process's file table, so that an ioctl can install a new file descriptor
 * ({@code dma_buf_fd()}: {@code get_unused_fd_flags()} then {@code fd_install()}) or look one up
 * ({@code dma_buf_get()}: {@code fget()}). The boundary ({@link Process}) sets it for the length
 * of each system call on the calling thread, as the kernel runs a system call in the caller's
 * task.
 */
@Models("include/asm-generic/current.h:current")
public final class Current {
    private static final ThreadLocal<Process> CURRENT = new ThreadLocal<>();

    private Current() {}

    /** Runs {@code body} as a system call of {@code p}. */
    static <T> T with(Process p, Supplier<T> body) {
        Process before = CURRENT.get();
        CURRENT.set(p);
        try {
            return body.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    private static Process current() {
        Process p = CURRENT.get();
        if (p == null) {
            throw new IllegalStateException("no current task: a file table is only reachable from "
                    + "inside a system call");
        }
        return p;
    }

    /**
     * {@code fd_install(get_unused_fd_flags(flags), file)}: {@code file} at the calling process's
     * lowest free descriptor, holding the one reference the new {@code struct file} starts with.
     *
     * @return the descriptor
     */
    @Models({"fs/file.c:get_unused_fd_flags", "fs/file.c:fd_install"})
    public static int fdInstall(KernelFile file) {
        return current().installFile(file);
    }

    /**
     * {@code fget(fd)} without the reference: the stage's file behind the calling process's
     * {@code fd}, or null when {@code fd} is not open (the caller's -EBADF).
     */
    @Models("fs/file.c:fget")
    public static KernelFile fget(int fd) {
        return current().kernelFileOf(fd);
    }
}
