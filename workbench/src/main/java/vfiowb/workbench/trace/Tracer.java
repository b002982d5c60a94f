package vfiowb.workbench.trace;

import java.lang.StackWalker.StackFrame;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import vfiowb.common.Models;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.trace.KernelProbe;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SyscallObserver;
import vfiowb.common.userspace.UserBuffer;

/**
 * Records what one {@link Process} does, as strace would, and for every call the modelled kernel
 * functions it passed through: at each {@link KernelProbe} point reached during the call, the
 * stack is read and its frames whose Java method carries {@code @Models} are merged into the
 * call's {@link CallTree}.
 *
 * <p>The probe sees only functions that are still on the stack when some probe point is reached
 * (a function that returns an errno before touching user memory, a VMA, the page tables or the
 * PCI core is not seen); every probe point the model has is listed in {@link KernelProbe}'s
 * callers. Only the thread that attached is recorded. Close the tracer to stop.
 */
public final class Tracer implements SyscallObserver, AutoCloseable {
    /** {@code @Models} of a frame's method, by class, name and descriptor; empty if none. */
    private static final Map<String, String[]> MODELS = new ConcurrentHashMap<>();
    private static final StackWalker WALKER =
            StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ThreadLocal<Tracer> CURRENT = new ThreadLocal<>();
    private static int attached;

    private final Process process;
    private final boolean kernel;
    private final Thread thread = Thread.currentThread();
    private final List<Call> calls = new ArrayList<>();
    private Call open;
    private boolean closed;

    /** One system call (or mapping access) and what it went through. */
    public static final class Call {
        private final String name;
        private final List<Object> args;
        private final byte[] argBefore;
        private byte[] argAfter;
        private Object result;
        private RuntimeException failure;
        private final CallTree kernel = new CallTree();
        private String mapleBefore;
        private String mapleAfter;
        private final List<String> notes = new ArrayList<>();
        private Mapping mapping;
        private PgProt pgprot;
        private Map<PageTable.Level, Long> pageTable;

        Call(String name, List<Object> args, byte[] argBefore) {
            this.name = name;
            this.args = args;
            this.argBefore = argBefore;
        }

        public String name() {
            return name;
        }

        /** As {@link SyscallObserver#enter} documents. */
        public List<Object> args() {
            return args;
        }

        /** An ioctl's user buffer as userspace passed it; null for other calls. */
        public byte[] argBefore() {
            return argBefore == null ? null : argBefore.clone();
        }

        /** An ioctl's user buffer after the call; null for other calls. */
        public byte[] argAfter() {
            return argAfter == null ? null : argAfter.clone();
        }

        public Object result() {
            return result;
        }

        /** The errno, signal or bug the call ended with; null on success. */
        public RuntimeException failure() {
            return failure;
        }

        public CallTree kernel() {
            return kernel;
        }

        /** The file's maple tree before the call (stage 3 on), null when it has none. */
        public String mapleBefore() {
            return mapleBefore;
        }

        /** The file's maple tree after the call, null when it has none. */
        public String mapleAfter() {
            return mapleAfter;
        }

        /**
         * What kernel paths noted during the call ({@code KernelProbe.note}): which cookie an
         * offset resolved to, a cookie placed; empty for stages without a tree.
         */
        public List<String> notes() {
            return Collections.unmodifiableList(notes);
        }

        /** The mapping an mmap created or a load or store went through; null otherwise. */
        public Mapping mapping() {
            return mapping;
        }

        /** That mapping's page protection right after the call; null if unmapped. */
        public PgProt pgprot() {
            return pgprot;
        }

        /** That mapping's page-table leaves by level right after the call. */
        public Map<PageTable.Level, Long> pageTable() {
            return pageTable;
        }
    }

    private Tracer(Process process, boolean kernel) {
        this.process = process;
        this.kernel = kernel;
    }

    /**
     * Starts recording {@code p}'s calls made on this thread; with {@code kernel} also the
     * kernel functions each passes through (the probe hook is installed while any tracer that
     * wants them is attached).
     */
    public static Tracer attach(Process p, boolean kernel) {
        Tracer t = new Tracer(p, kernel);
        if (kernel) {
            if (CURRENT.get() != null) {
                throw new IllegalStateException("this thread already traces a process");
            }
            synchronized (Tracer.class) {
                if (attached++ == 0) {
                    KernelProbe.install(Tracer::probe);
                    KernelProbe.installNotes(Tracer::note);
                }
            }
            CURRENT.set(t);
        }
        p.setObserver(t);
        return t;
    }

    /** The calls recorded so far, in order. */
    public List<Call> calls() {
        return Collections.unmodifiableList(new ArrayList<>(calls));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.setObserver(null);
        if (kernel) {
            CURRENT.remove();
            synchronized (Tracer.class) {
                if (--attached == 0) {
                    KernelProbe.install(null);
                    KernelProbe.installNotes(null);
                }
            }
        }
    }

    @Override
    public void enter(Process p, String name, List<Object> args) {
        if (Thread.currentThread() != thread) {
            return;
        }
        byte[] before = null;
        if (name.equals("ioctl") && args.get(2) instanceof UserBuffer) {
            before = ((UserBuffer) args.get(2)).array().clone();
        }
        open = new Call(name, args, before);
        int fd = fdOf(name, args);
        if (fd >= 0) {
            open.mapleBefore = MapleView.of(p, fd);
        }
    }

    private static int fdOf(String name, List<Object> args) {
        switch (name) {
            case "ioctl":
            case "pread":
            case "pwrite":
            case "close":
                return (Integer) args.get(0);
            case "mmap":
                return (Integer) args.get(4);
            default:
                return -1;
        }
    }

    @Override
    public void exit(Process p, String name, List<Object> args, Object result,
            RuntimeException failure) {
        if (Thread.currentThread() != thread || open == null) {
            return;
        }
        if (open.argBefore != null) {
            open.argAfter = ((UserBuffer) args.get(2)).array().clone();
        }
        open.result = result;
        open.failure = failure;
        int fd = fdOf(name, args);
        if (fd >= 0 && !name.equals("close")) {
            open.mapleAfter = MapleView.of(p, fd);
        } else if (name.equals("open") && result instanceof Integer) {
            open.mapleAfter = MapleView.of(p, (Integer) result);
        }
        Mapping m = result instanceof Mapping ? (Mapping) result
                : args.size() > 0 && args.get(0) instanceof Mapping ? (Mapping) args.get(0) : null;
        if (m != null) {
            open.mapping = m;
            open.pgprot = m.pgprot();
            open.pageTable = m.pageTableEntries();
        }
        calls.add(open);
        open = null;
    }

    private static void note(String what) {
        Tracer t = CURRENT.get();
        if (t != null && t.open != null) {
            t.open.notes.add(what);
        }
    }

    private static void probe() {
        Tracer t = CURRENT.get();
        if (t == null || t.open == null) {
            return;
        }
        List<StackFrame> frames = WALKER.walk(s -> s.collect(Collectors.toList()));
        List<KernelFrame> path = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        for (int i = frames.size() - 1; i >= 0; i--) {
            StackFrame f = frames.get(i);
            String key = f.getClassName() + "." + f.getMethodName() + f.getDescriptor();
            for (String models : MODELS.computeIfAbsent(key, k -> modelsOf(f))) {
                if (!keys.isEmpty() && keys.get(keys.size() - 1).equals(models)) {
                    continue;
                }
                path.add(KernelFrame.of(models, f.getClassName()));
                keys.add(models);
            }
        }
        t.open.kernel.add(path, keys);
    }

    private static String[] modelsOf(StackFrame f) {
        Class<?> c = f.getDeclaringClass();
        MethodType type = f.getMethodType();
        List<Executable> candidates = new ArrayList<>();
        if (f.getMethodName().equals("<init>")) {
            candidates.addAll(Arrays.<Constructor<?>>asList(c.getDeclaredConstructors()));
        } else {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(f.getMethodName())) {
                    candidates.add(m);
                }
            }
        }
        for (Executable e : candidates) {
            if (Arrays.equals(e.getParameterTypes(), type.parameterArray())) {
                Models m = e.getAnnotation(Models.class);
                return m == null ? new String[0] : m.value();
            }
        }
        return new String[0];
    }
}
