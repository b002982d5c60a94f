package vfiowb.common.userspace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import vfiowb.common.Models;
import vfiowb.common.errno.Errno;
import vfiowb.common.trace.KernelProbe;

/**
 * A {@code void __user *} argument: the user's buffer as the kernel reaches it, with the
 * uaccess helpers' semantics. Bytes outside {@code [0, length())} are unmapped user memory:
 * touching them faults.
 *
 * <p>{@code copy_from_user} and {@code copy_to_user} return the number of bytes <em>not</em>
 * copied (0 on success); a partial copy stops at the fault. Every range the kernel read or wrote
 * is recorded, so tests can say "the kernel wrote nothing past byte 32".
 *
 * <p>A buffer may be read-only ({@link #readOnly}): user memory mapped without
 * {@code PROT_WRITE}, which the kernel reads as any other and whose every store faults
 * ({@code access_ok} checks only the range, so it passes).
 *
 * <p>For an ioctl whose argument is a value, not a pointer ({@code VFIO_CHECK_EXTENSION}), the
 * buffer is empty and {@link #argValue()} carries the value. Not thread-safe: one syscall uses it.
 */
@Models({"include/linux/uaccess.h:copy_from_user", "include/linux/uaccess.h:copy_to_user"})
public final class UserBuffer {

    /** A half-open byte range {@code [start, end)} of the buffer. */
    public record Range(long start, long end) {
        public Range {
            if (end < start) {
                throw new IllegalArgumentException("range end before start");
            }
        }

        public long length() {
            return end - start;
        }
    }

    /** The synthetic user address a pointer argument has (the kernel sees it as {@code arg}). */
    private static final long USER_POINTER = 0x7ffc_0000_0000L;

    private final byte[] mem;
    private final long argValue;
    private final boolean writable;
    private final List<Range> written = new ArrayList<>();
    private final List<Range> read = new ArrayList<>();
    /**
     * The first copy from or to the buffer stalls on a missing page until this latch opens
     * ({@link #stallingFirstCopy}); null for ordinary memory.
     */
    private CountDownLatch stallUntil;
    private CountDownLatch stalled;
    /** Whether another thread unmaps the buffer once the kernel has written all of it. */
    private boolean unmapOnceFilled;
    private boolean unmapped;

    private UserBuffer(byte[] mem, long argValue) {
        this(mem, argValue, true);
    }

    private UserBuffer(byte[] mem, long argValue, boolean writable) {
        this.mem = mem;
        this.argValue = argValue;
        this.writable = writable;
    }

    /** The caller's array itself is the user memory: what the kernel writes lands in it. */
    public static UserBuffer wrap(byte[] bytes) {
        return new UserBuffer(Objects.requireNonNull(bytes, "bytes"), USER_POINTER);
    }

    /**
     * {@code bytes} in a read-only user mapping: copies from it work, and every copy to it,
     * {@code clear_user} and {@code put_user} fault at its first byte.
     */
    public static UserBuffer readOnly(byte[] bytes) {
        return new UserBuffer(Objects.requireNonNull(bytes, "bytes"), USER_POINTER, false);
    }

    /** A zero-filled buffer of {@code length} bytes. */
    public static UserBuffer allocate(int length) {
        return wrap(new byte[length]);
    }

    /**
     * A zero-filled buffer of {@code length} bytes that another thread of the process unmaps
     * as soon as the kernel has written every byte of it: one fixed schedule of a race a real
     * program can lose, so that every later access of the same syscall faults (copy_to_user
     * and copy_from_user copy nothing, get_user and put_user fail). It reaches the error
     * paths of code that reads back or patches a buffer it has just filled.
     */
    public static UserBuffer unmappedOnceFilled(int length) {
        UserBuffer b = allocate(length);
        b.unmapOnceFilled = true;
        return b;
    }

    /**
     * {@code bytes} in a userfaultfd-registered mapping whose pages are not yet populated: the
     * kernel's first {@code copy_from_user} or {@code copy_to_user} of the syscall faults, and
     * the fault waits for the process's fault-handling thread (UFFDIO_COPY), here until
     * {@code release} opens; {@code reached} opens when the kernel is waiting. Whatever the
     * kernel holds at that point (a mutex, a lock) stays held meanwhile, which is how a real
     * program keeps a kernel path inside its critical section for as long as it likes. After
     * the fault is resolved the copy completes as for ordinary memory.
     */
    public static UserBuffer stallingFirstCopy(byte[] bytes, CountDownLatch reached,
            CountDownLatch release) {
        UserBuffer b = wrap(bytes);
        b.stalled = Objects.requireNonNull(reached, "reached");
        b.stallUntil = Objects.requireNonNull(release, "release");
        return b;
    }

    /** The userfaultfd wait of {@link #stallingFirstCopy}, once. */
    private void stallOnFirstCopy() {
        CountDownLatch until = stallUntil;
        if (until == null) {
            return;
        }
        stallUntil = null;
        stalled.countDown();
        try {
            if (!until.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("userfaultfd fault never resolved");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in a userfaultfd wait", e);
        }
    }

    /** Whether the buffer has been unmapped ({@link #unmappedOnceFilled}). */
    public boolean unmapped() {
        return unmapped;
    }

    private void wrote(long start, long end) {
        written.add(new Range(start, end));
        if (unmapOnceFilled && !unmapped) {
            List<Range> w = merge(written);
            unmapped = w.size() == 1 && w.get(0).start() == 0 && w.get(0).end() >= mem.length;
        }
    }

    /** A by-value ioctl argument: no user memory, {@link #argValue()} is {@code value}. */
    public static UserBuffer ofValue(long value) {
        return new UserBuffer(new byte[0], value);
    }

    /** Bytes of user memory reachable from the pointer. */
    public int length() {
        return mem.length;
    }

    /** The raw {@code unsigned long arg}: the user pointer, or the value for by-value ioctls. */
    public long argValue() {
        return argValue;
    }

    /** Userspace's view of the memory (the same array, not a copy). */
    public byte[] array() {
        return mem;
    }

    /** {@code access_ok()} plus "is it mapped": whether {@code [userOff, userOff + n)} is inside. */
    public boolean accessOk(long userOff, long n) {
        return !unmapped && userOff >= 0 && n >= 0 && userOff <= mem.length && n <= mem.length - userOff;
    }

    private int reachable(long userOff, int n) {
        if (n < 0) {
            throw new IllegalStateException("negative copy length " + n);
        }
        if (unmapped || userOff < 0 || userOff >= mem.length) {
            return 0;
        }
        return (int) Math.min(n, mem.length - userOff);
    }

    /**
     * {@code copy_from_user(to + toOff, ubuf + userOff, n)}: copies up to the first byte that
     * faults and returns how many bytes were not copied.
     */
    @Models("include/linux/uaccess.h:copy_from_user")
    public int copyFromUser(byte[] to, int toOff, long userOff, int n) {
        KernelProbe.here();
        checkKernelBuffer(to, toOff, n);
        stallOnFirstCopy();
        int ok = reachable(userOff, n);
        if (ok > 0) {
            System.arraycopy(mem, (int) userOff, to, toOff, ok);
            read.add(new Range(userOff, userOff + ok));
        }
        return n - ok;
    }

    /**
     * {@code copy_to_user(ubuf + userOff, from + fromOff, n)}: copies up to the first byte that
     * faults and returns how many bytes were not copied.
     */
    @Models("include/linux/uaccess.h:copy_to_user")
    public int copyToUser(long userOff, byte[] from, int fromOff, int n) {
        KernelProbe.here();
        checkKernelBuffer(from, fromOff, n);
        stallOnFirstCopy();
        int ok = writable ? reachable(userOff, n) : 0;
        if (ok > 0) {
            System.arraycopy(from, fromOff, mem, (int) userOff, ok);
            wrote(userOff, userOff + ok);
        }
        return n - ok;
    }

    /** {@code clear_user(ubuf + userOff, n)}: zeroes, returns bytes not cleared. */
    @Models("include/linux/uaccess.h:clear_user")
    public int clearUser(long userOff, int n) {
        KernelProbe.here();
        int ok = writable ? reachable(userOff, n) : 0;
        if (ok > 0) {
            java.util.Arrays.fill(mem, (int) userOff, (int) userOff + ok, (byte) 0);
            wrote(userOff, userOff + ok);
        }
        return n - ok;
    }

    /**
     * {@code get_user(x, (uN __user *)(ubuf + userOff))} for a little-endian 1, 2, 4 or 8 byte
     * value (zero-extended); empty if any byte faults (the kernel's -EFAULT).
     */
    @Models("include/asm-generic/uaccess.h:get_user")
    public OptionalLong getUser(long userOff, int width) {
        KernelProbe.here();
        checkWidth(width);
        if (!accessOk(userOff, width)) {
            return OptionalLong.empty();
        }
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (mem[(int) userOff + i] & 0xFF);
        }
        read.add(new Range(userOff, userOff + width));
        return OptionalLong.of(v);
    }

    /**
     * {@code put_user(x, (uN __user *)(ubuf + userOff))}: stores the low {@code width} bytes,
     * little-endian; 0, or -EFAULT (nothing written) if any byte faults.
     */
    @Models("include/asm-generic/uaccess.h:put_user")
    public int putUser(long userOff, int width, long value) {
        KernelProbe.here();
        checkWidth(width);
        if (!writable || !accessOk(userOff, width)) {
            return -Errno.EFAULT;
        }
        for (int i = 0; i < width; i++) {
            mem[(int) userOff + i] = (byte) (value >>> (8 * i));
        }
        wrote(userOff, userOff + width);
        return 0;
    }

    /** The byte ranges the kernel wrote, merged and sorted. */
    public List<Range> writtenRanges() {
        return merge(written);
    }

    /** The byte ranges the kernel read, merged and sorted. */
    public List<Range> readRanges() {
        return merge(read);
    }

    /** Whether the kernel wrote any byte of {@code [start, end)}. */
    public boolean wroteAny(long start, long end) {
        for (Range r : written) {
            if (r.start() < end && r.end() > start) {
                return true;
            }
        }
        return false;
    }

    /** One past the highest byte the kernel wrote; 0 if it wrote nothing. */
    public long writtenEnd() {
        long end = 0;
        for (Range r : written) {
            end = Math.max(end, r.end());
        }
        return end;
    }

    private static List<Range> merge(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).end() >= r.start()) {
                Range last = out.remove(out.size() - 1);
                out.add(new Range(last.start(), Math.max(last.end(), r.end())));
            } else {
                out.add(r);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static void checkKernelBuffer(byte[] buf, int off, int n) {
        if (n < 0 || off < 0 || off > buf.length - n) {
            throw new IllegalStateException(String.format(
                    "kernel buffer overrun: %d bytes at %d of %d", n, off, buf.length));
        }
    }

    private static void checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalStateException("bad uaccess width " + width);
        }
    }

    @Override
    public String toString() {
        return "user buffer[" + mem.length + (writable ? "" : " read-only") + " bytes, wrote " + writtenRanges() + "]";
    }
}
