package vfiowb.common.userspace;

import java.util.List;

/**
 * Sees every system call a {@link Process} makes, and every load and store through one of its
 * mappings: what {@code strace} shows, for the workbench's narration and transcripts. Not part of
 * the model; a process without an observer pays one field read per call.
 *
 * <p>Calls arrive on the calling thread, {@link #enter} before the kernel runs and {@link #exit}
 * after it, also when the call fails.
 */
public interface SyscallObserver {
    /**
     * A call is about to run.
     *
     * @param name {@code open}, {@code close}, {@code ioctl}, {@code pread}, {@code pwrite},
     *     {@code mmap}, {@code munmap}, {@code load} or {@code store}
     * @param args the arguments as the caller passed them: {@code Integer} descriptors and ioctl
     *     requests, {@code Long} offsets, lengths, addresses and values, the {@link UserBuffer} of
     *     an ioctl (read its bytes now for what userspace passed, in {@link #exit} for what the
     *     kernel left), the {@code byte[]} of pread/pwrite, the {@link Mapping} of load and
     *     store (then its offset, {@code Integer} width and value), a {@code String} device name
     *     for open
     */
    void enter(Process p, String name, List<Object> args);

    /**
     * The call returned {@code result} ({@code Integer} fd for open, {@code Long} for ioctl,
     * pread, pwrite and load, the {@link Mapping} for mmap, null for the others) or failed with
     * {@code failure} (an {@link vfiowb.common.errno.ErrnoException}, a {@link SigbusException}
     * or {@link SegvException}, or a model bug).
     */
    void exit(Process p, String name, List<Object> args, Object result, RuntimeException failure);
}
