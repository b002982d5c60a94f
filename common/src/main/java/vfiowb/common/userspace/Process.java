package vfiowb.common.userspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import vfiowb.common.Models;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.MmStruct;
import vfiowb.common.stage.VfioHost;

/**
 * One userspace process on a booted stage: a file-descriptor table and an mm, and the system
 * calls a VFIO client makes, in the kernel's terms (bytes, ints, errnos). A failed call throws
 * {@link ErrnoException}, as libc returns -1 with {@code errno} set; the kernel code behind it
 * returns {@code -errno}.
 *
 * <p>The process has the host's architecture: on i386 it is a 32-bit process on a 32-bit kernel
 * (the {@code mmap2} ABI; pread/pwrite with a 64-bit {@code loff_t}), and the boundary is what
 * such a process sees through its C library: a request glibc refuses never reaches the kernel.
 *
 * <p><b>Kernel bugs.</b> Where the modelled kernel code runs into one of the upstream kernel's
 * own bugs ({@link KernelBugException}: an out-of-bounds access KASAN would report, a
 * {@code BUG_ON} that holds), the real thread does not come back normally: an oops kills it
 * ({@code die()} ends in {@code make_task_dead(SIGSEGV)}), and KASAN's default
 * report-and-continue lets the bad access go ahead with whatever memory lies there, which no
 * model can reproduce. So the boundary picks one outcome per path that a caller cannot mistake
 * for success, and the process goes on:
 * <ul>
 * <li>a system call fails with EFAULT, the errno the kernel itself gives when an access made on
 *     the caller's behalf faults, which every C client already handles; the
 *     {@link ErrnoException} carries the bug ({@link ErrnoException#kernelBug()});</li>
 * <li>a load or store through a mapping gets SIGSEGV (see {@link Mapping}), the signal the
 *     oopsing thread dies with; the {@link SegvException} carries the bug.</li>
 * </ul>
 * Each bug is also appended to {@link #kernelBugs()}, this process's {@code dmesg}, in the order
 * they happened. An errno, a signal, a kernel bug and a model bug (any other exception, such as
 * {@link IllegalStateException}) are thus four different things to a caller.
 *
 * <p>Thread-safe: the descriptor table has its own lock ({@code files_struct}), mm has its own;
 * no lock is held while a driver runs.
 */
public final class Process {
    private static final int FIRST_FD = 3;

    private final VfioHost host;
    private final MmStruct mm;
    private final ReentrantLock fileLock = new ReentrantLock();
    private final TreeMap<Integer, OpenFile> fds;
    private final List<Mapping> mappings = new CopyOnWriteArrayList<>();
    private final List<KernelBug> kernelBugs = new CopyOnWriteArrayList<>();
    private volatile SyscallObserver observer;
    private volatile Consumer<KernelBug> kernelBugListener;

    /** A fresh process: no files, empty address space. */
    public Process(VfioHost host) {
        this(host, newMm(host), new TreeMap<>());
    }

    private static MmStruct newMm(VfioHost host) {
        MmStruct mm = new MmStruct(host.arch(), host.physicalMemory());
        mm.setUnmappedAreaPolicy(host.policy().placement().unmappedAreaPolicy());
        return mm;
    }

    private Process(VfioHost host, MmStruct mm, TreeMap<Integer, OpenFile> fds) {
        this.host = Objects.requireNonNull(host, "host");
        this.mm = mm;
        this.fds = fds;
    }

    public VfioHost host() {
        return host;
    }

    public Arch arch() {
        return host.arch();
    }

    /** The process's address space (VMAs, page tables, get_unmapped_area policy). */
    public MmStruct mm() {
        return mm;
    }

    /**
     * Installs {@code o} to see this process's system calls and mapping accesses (null removes
     * it). Not inherited by {@link #fork()}.
     */
    public void setObserver(SyscallObserver o) {
        observer = o;
    }

    /** The installed observer, or null. */
    public SyscallObserver observer() {
        return observer;
    }

    /**
     * The kernel bugs this process's calls and accesses ran into, oldest first: what
     * {@code dmesg} would show. A forked child starts with an empty log.
     */
    public List<KernelBug> kernelBugs() {
        return Collections.unmodifiableList(new ArrayList<>(kernelBugs));
    }

    /**
     * Installs {@code l} to hear of each kernel bug as it is recorded, before the call that ran
     * into it returns (null removes it): a {@code dmesg -w} for this process and the children it
     * forks from now on, which inherit it.
     */
    public void setKernelBugListener(Consumer<KernelBug> l) {
        kernelBugListener = l;
    }

    /** Appends {@code bug} to {@link #kernelBugs()} and tells the listener. */
    void recordKernelBug(KernelBug bug) {
        kernelBugs.add(bug);
        Consumer<KernelBug> l = kernelBugListener;
        if (l != null) {
            l.accept(bug);
        }
    }

    /**
     * Runs the body of system call {@code name}: a kernel bug inside it is recorded and becomes
     * EFAULT carrying the bug (see the class comment); the observer, if any, sees the call.
     */
    private <T> T syscall(String name, Supplier<T> body, Object... args) {
        Supplier<T> call = () -> {
            try {
                return Current.with(this, body);
            } catch (KernelBugException e) {
                recordKernelBug(e.bug());
                throw new ErrnoException(Errno.EFAULT, name, e.bug());
            }
        };
        SyscallObserver o = observer;
        return o == null ? call.get() : observed(o, name, call, args);
    }

    /** Runs {@code call} between the observer's enter and exit. */
    <T> T observed(SyscallObserver o, String name, Supplier<T> call, Object... args) {
        List<Object> a = Collections.unmodifiableList(Arrays.asList(args));
        o.enter(this, name, a);
        T r;
        try {
            r = call.get();
        } catch (RuntimeException e) {
            o.exit(this, name, a, null, e);
            throw e;
        }
        o.exit(this, name, a, r, null);
        return r;
    }

    /** Open descriptors, ascending. */
    public List<Integer> openFds() {
        fileLock.lock();
        try {
            return Collections.unmodifiableList(new ArrayList<>(fds.keySet()));
        } finally {
            fileLock.unlock();
        }
    }

    /** The open file behind {@code fd}; EBADF if none. */
    public OpenFile file(int fd) {
        fileLock.lock();
        try {
            OpenFile f = fds.get(fd);
            if (f == null) {
                throw new ErrnoException(Errno.EBADF, "fd " + fd);
            }
            return f;
        } finally {
            fileLock.unlock();
        }
    }

    /** The stage's file behind {@code fd}, or null when {@code fd} is not open. */
    KernelFile kernelFileOf(int fd) {
        fileLock.lock();
        try {
            OpenFile f = fds.get(fd);
            return f == null ? null : f.kernelFile();
        } finally {
            fileLock.unlock();
        }
    }

    /** The mappings made by {@link #mmap} and not yet wholly unmapped, by address. */
    public List<Mapping> mappings() {
        List<Mapping> out = new ArrayList<>(mappings);
        out.sort((a, b) -> Long.compare(a.addr(), b.addr()));
        return Collections.unmodifiableList(out);
    }

    /**
     * {@code open(path, O_RDWR)}: a new file on the device, at the lowest free descriptor from 3.
     *
     * @throws ErrnoException ENOENT (from the host) for an unknown device
     */
    @Models("fs/open.c:do_sys_open")
    public int open(String deviceName) {
        return syscall("open", () -> doOpen(deviceName), deviceName);
    }

    /**
     * {@code open("/dev/vfio/devices/vfioN", O_RDWR)}: a new file on the device's cdev, which
     * can do nothing until {@code VFIO_DEVICE_BIND_IOMMUFD} binds it (and opens the device).
     *
     * @throws ErrnoException ENOENT (from the host) for an unknown device
     */
    @Models({"fs/open.c:do_sys_open", "drivers/vfio/device_cdev.c:vfio_device_fops_cdev_open"})
    public int openCdev(String deviceName) {
        return syscall("open", () -> installFile(host.openCdev(deviceName)), deviceName);
    }

    private int doOpen(String deviceName) {
        return installFile(host.open(deviceName));
    }

    /** A new {@code struct file} around {@code kf} at the lowest free descriptor from 3. */
    int installFile(KernelFile kf) {
        OpenFile f = new OpenFile(kf);
        fileLock.lock();
        try {
            int fd = FIRST_FD;
            while (fds.containsKey(fd)) {
                fd++;
            }
            fds.put(fd, f);
            return fd;
        } finally {
            fileLock.unlock();
        }
    }

    /**
     * {@code close(fd)}: drops the descriptor's reference; the file is released only once no
     * descriptor (in any process) and no mapping holds it.
     */
    @Models("fs/file.c:close_fd")
    public void close(int fd) {
        syscall("close", () -> {
            doClose(fd);
            return null;
        }, fd);
    }

    private void doClose(int fd) {
        OpenFile f;
        fileLock.lock();
        try {
            f = fds.remove(fd);
        } finally {
            fileLock.unlock();
        }
        if (f == null) {
            throw new ErrnoException(Errno.EBADF, "fd " + fd);
        }
        f.fput();
    }

    /** {@code fdget()}: a reference for the duration of one call. */
    private OpenFile fdget(int fd) {
        fileLock.lock();
        try {
            OpenFile f = fds.get(fd);
            if (f == null) {
                throw new ErrnoException(Errno.EBADF, "fd " + fd);
            }
            f.getFile();
            return f;
        } finally {
            fileLock.unlock();
        }
    }

    /**
     * {@code ioctl(fd, request, arg)} with a pointer argument: {@code arg} is the user memory the
     * kernel copies from and to (null passes a NULL pointer: any access faults). Returns the
     * ioctl's non-negative result.
     *
     * @throws ErrnoException EBADF for a bad fd, or the driver's errno
     */
    @Models("fs/ioctl.c:sys_ioctl")
    public long ioctl(int fd, int request, byte[] arg) {
        return ioctl(fd, request, arg == null ? UserBuffer.ofValue(0) : UserBuffer.wrap(arg));
    }

    /** {@code ioctl(fd, request, value)} for ioctls that take their argument by value. */
    @Models("fs/ioctl.c:sys_ioctl")
    public long ioctl(int fd, int request, long value) {
        return ioctl(fd, request, UserBuffer.ofValue(value));
    }

    /**
     * {@code ioctl(fd, request, arg)} with a caller-built buffer, so the caller can inspect what
     * the kernel read and wrote.
     */
    @Models("fs/ioctl.c:sys_ioctl")
    public long ioctl(int fd, int request, UserBuffer arg) {
        return syscall("ioctl", () -> doIoctl(fd, request, arg), fd, request, arg);
    }

    private long doIoctl(int fd, int request, UserBuffer arg) {
        OpenFile f = fdget(fd);
        try {
            return ErrnoException.check(f.kernelFile().unlockedIoctl(request, arg));
        } finally {
            f.fput();
        }
    }

    /**
     * {@code pread(fd, buf, buf.length, offset)}: returns the bytes transferred (a short count is
     * not an error). EINVAL for a negative offset (checked before the fd, as
     * {@code ksys_pread64}) or one where {@code offset + count} overflows {@code loff_t}
     * ({@code rw_verify_area}).
     */
    @Models("fs/read_write.c:ksys_pread64")
    public long pread(int fd, byte[] buf, long offset) {
        return syscall("pread", () -> rw(fd, buf, offset, false), fd, buf, offset);
    }

    /** {@code pwrite(fd, buf, buf.length, offset)}, as {@link #pread}. */
    @Models("fs/read_write.c:ksys_pwrite64")
    public long pwrite(int fd, byte[] buf, long offset) {
        return syscall("pwrite", () -> rw(fd, buf, offset, true), fd, buf, offset);
    }

    private long rw(int fd, byte[] buf, long offset, boolean write) {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL, "negative offset");
        }
        OpenFile f = fdget(fd);
        try {
            long count = buf.length;
            if (offset + count < 0) {
                throw new ErrnoException(Errno.EINVAL, "offset + count overflows loff_t");
            }
            UserBuffer ub = UserBuffer.wrap(buf);
            long ret = write ? f.kernelFile().write(ub, count, offset)
                    : f.kernelFile().read(ub, count, offset);
            if (ret > count) {
                throw new IllegalStateException(f.kernelFile().name() + " transferred " + ret
                        + " of " + count + " bytes");
            }
            return ErrnoException.check(ret);
        } finally {
            f.fput();
        }
    }

    /**
     * {@code mmap(addr, length, prot, flags, fd, offset)} as a 64-bit process calls
     * {@code sys_mmap}, and a 32-bit one {@code mmap2} through the C library's {@code mmap64}:
     * <ol>
     * <li>{@code offset} not page aligned: EINVAL (before the fd is looked up);</li>
     * <li>on i386 the C library's {@code mmap64} passes {@code offset >> 12} to {@code mmap2} as a
     *     32-bit page number and refuses, with EINVAL and without a system call, an offset whose
     *     page number does not fit (glibc's {@code MMAP_OFF_HIGH_MASK}: 16 TiB and up, or
     *     negative; measured on 32-bit Linux 6.1 userspace). Below that the kernel decides:
     *     {@code file_mmap_ok} gives EOVERFLOW past 4 GiB. A {@code length} beyond a 32-bit
     *     {@code size_t} cannot be expressed in C at all; the model answers ENOMEM for it;</li>
     * <li>no {@code MAP_ANONYMOUS} and a bad fd: EBADF;</li>
     * <li>then {@link MmStruct#doMmap}, whose errnos include the driver's.</li>
     * </ol>
     * {@code offset} is taken as unsigned (x86_64's {@code sys_mmap} has an unsigned long
     * {@code off}), so a negative offset fails in {@code file_mmap_ok()} with EOVERFLOW.
     *
     * @return the mapping, at the address get_unmapped_area chose (or {@code addr} with
     *     {@code MAP_FIXED})
     */
    @Models({"arch/x86/kernel/sys_x86_64.c:sys_mmap", "mm/mmap.c:ksys_mmap_pgoff"})
    public Mapping mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return syscall("mmap", () -> doMmap(addr, length, prot, flags, fd, offset),
                addr, length, prot, flags, fd, offset);
    }

    private Mapping doMmap(long addr, long length, int prot, int flags, int fd, long offset) {
        Arch arch = arch();
        if (!arch.isPageAligned(offset)) {
            throw new ErrnoException(Errno.EINVAL, "offset not page aligned");
        }
        long pgoff = offset >>> arch.pageShift();
        if (arch.is32Bit()) {
            if (Long.compareUnsigned(pgoff, arch.ulongMax()) > 0) {
                throw new ErrnoException(Errno.EINVAL,
                        "mmap64: page offset beyond mmap2's 32 bits (refused by the C library)");
            }
            if (Long.compareUnsigned(length, arch.ulongMax()) > 0) {
                throw new ErrnoException(Errno.ENOMEM, "length beyond a 32-bit size_t");
            }
        }
        OpenFile f = null;
        if ((flags & Mman.MAP_ANONYMOUS) == 0) {
            f = fdget(fd);
        }
        long ret;
        try {
            ret = mm.doMmap(f, addr, length, prot, flags, f == null ? 0 : pgoff);
        } finally {
            if (f != null) {
                f.fput();
            }
        }
        ErrnoException.check(ret);
        Mapping m = new Mapping(this, ret, length, prot, flags, f == null ? -1 : fd, offset);
        mappings.add(m);
        return m;
    }

    /** {@code munmap(m.addr(), m.length())}. */
    public void munmap(Mapping m) {
        if (m.process() != this) {
            throw new IllegalArgumentException("mapping of another process");
        }
        munmap(m.addr(), m.length());
    }

    /**
     * {@code munmap(addr, length)}: EINVAL for an unaligned address, an empty length or a range
     * outside user space; holes are fine, and a mapping only partly inside is split (see
     * {@link MmStruct#doMunmap}). Mappings wholly inside the range leave {@link #mappings()}.
     */
    @Models("mm/mmap.c:sys_munmap")
    public void munmap(long addr, long length) {
        syscall("munmap", () -> {
            doMunmap(addr, length);
            return null;
        }, addr, length);
    }

    private void doMunmap(long addr, long length) {
        ErrnoException.check(mm.doMunmap(addr, length));
        long end = addr + arch().pageAlign(length);
        mappings.removeIf(m -> m.addr() >= addr && m.addr() + arch().pageAlign(m.length()) <= end);
    }

    /**
     * {@code fork()}: a child sharing every open file (each descriptor takes a reference) with a
     * copy of the address space ({@link MmStruct#dupMmap}: VMAs duplicated, PFN-map entries
     * copied, then {@code ->open} called on each copy). The child's {@link #mappings()} are the
     * parent's, bound to the child. The child inherits the kernel-bug listener, not the
     * observer, and starts an empty {@link #kernelBugs()} log.
     */
    @Models("kernel/fork.c:copy_process")
    public Process fork() {
        TreeMap<Integer, OpenFile> childFds;
        fileLock.lock();
        try {
            childFds = new TreeMap<>(fds);
            for (OpenFile f : childFds.values()) {
                f.getFile();
            }
        } finally {
            fileLock.unlock();
        }
        Process child = new Process(host, mm.dupMmap(), childFds);
        child.kernelBugListener = kernelBugListener;
        for (Mapping m : mappings) {
            child.mappings.add(m.inProcess(child));
        }
        return child;
    }

    /**
     * {@code do_exit()}: the address space goes first ({@code exit_mmap}), then every
     * descriptor is closed.
     */
    @Models("kernel/exit.c:do_exit")
    public void exit() {
        mm.exitMmap();
        mappings.clear();
        List<OpenFile> open;
        fileLock.lock();
        try {
            open = new ArrayList<>(fds.values());
            fds.clear();
        } finally {
            fileLock.unlock();
        }
        for (OpenFile f : open) {
            f.fput();
        }
    }

    @Override
    public String toString() {
        fileLock.lock();
        try {
            StringBuilder sb = new StringBuilder("process[").append(arch().cliName());
            for (Map.Entry<Integer, OpenFile> e : fds.entrySet()) {
                sb.append(", fd ").append(e.getKey()).append('=')
                        .append(e.getValue().kernelFile().name());
            }
            return sb.append(", ").append(mm).append(']').toString();
        } finally {
            fileLock.unlock();
        }
    }
}
