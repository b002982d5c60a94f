package vfiowb.common.mm;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vfiowb.common.Models;

/**
 * The slab allocator as far as a driver's error paths need it: an allocation that can fail, and
 * a record of what is still allocated. The JVM never runs out of memory for the model, so without
 * these a driver's {@code -ENOMEM} path and its {@code kfree}s would be code nothing can reach or
 * check. The kernel has two testing facilities for exactly that, and this class models both, per
 * task (a Java thread stands for the task, as {@code current} does):
 * <ul>
 *   <li><b>fail-nth</b> ({@code /proc/<pid>/task/<tid>/fail-nth}, Documentation/fault-injection):
 *       writing N makes the N-th fault-injection point the task reaches fail, once; reading gives
 *       0 once that happened and the remaining count while it has not. A test sweeps N = 1, 2, ...
 *       over one system call until the call completes without reaching the N-th point: then
 *       every allocation of that call has been failed once. {@link #shouldFailslab()} is
 *       {@code should_failslab()}; {@link #kcalloc} and {@link #kasprintf} consult it.</li>
 *   <li><b>kmemleak</b>: {@link #kmemleak()} starts recording, in this task, every allocation made
 *       through this class and not yet given to {@link #kfree}; {@link Kmemleak#scan()} lists them
 *       with the function that allocated each. Off by default, so nothing is kept for a task
 *       that does not ask.</li>
 * </ul>
 * Only allocations a modelled driver's error path depends on go through here (each caller names
 * its kernel allocation); an allocation the model does not route here cannot fail in the model.
 */
@Models({"mm/slab_common.c:__kmalloc", "mm/failslab.c:should_failslab",
        "lib/fault-inject.c:should_fail_ex", "fs/proc/base.c:proc_fail_nth_write",
        "mm/kmemleak.c:kmemleak_scan"})
public final class Slab {
    /** What the kernel keeps in {@code task_struct} for these facilities. */
    private static final class Task {
        int failNth;
        Map<Object, String> live;
    }

    private static final ThreadLocal<Task> CURRENT = ThreadLocal.withInitial(Task::new);

    private Slab() {}

    /**
     * Writing {@code /proc/self/task/<tid>/fail-nth}: the {@code n}-th fault-injection point this
     * task reaches from now on fails; 0 disarms. The kernel refuses a value above
     * {@code INT_MAX}, which a Java {@code int} cannot be, and a negative one.
     *
     * @throws IllegalArgumentException for {@code n < 0} (the write's -EINVAL)
     */
    @Models("fs/proc/base.c:proc_fail_nth_write")
    public static void setFailNth(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("fail-nth: " + n + " is not a count (-EINVAL)");
        }
        CURRENT.get().failNth = n;
    }

    /**
     * Reading {@code fail-nth}: 0 once the armed fault was injected (or when none was armed),
     * else how many more points the task must reach before it is.
     */
    @Models("fs/proc/base.c:proc_fail_nth_read")
    public static int failNth() {
        return CURRENT.get().failNth;
    }

    /**
     * {@code should_failslab()}, through {@code should_fail_ex()}'s {@code current->fail_nth}
     * branch: each call counts one point; the call that brings the count to 0 fails.
     */
    @Models({"mm/failslab.c:should_failslab", "lib/fault-inject.c:should_fail_ex"})
    public static boolean shouldFailslab() {
        Task t = CURRENT.get();
        if (t.failNth == 0) {
            return false;
        }
        t.failNth--;
        return t.failNth == 0;
    }

    /**
     * {@code kcalloc(n, size, GFP_KERNEL_ACCOUNT)}: room for an array of {@code n} elements,
     * or {@code null} when fault injection fails it (the caller's {@code -ENOMEM}). The Java
     * form is a list the caller fills in index order, as the C fills {@code a[0]},
     * {@code a[1]}, ...; the list itself is the allocation {@link #kfree} takes back.
     */
    @Models("include/linux/slab.h:kcalloc")
    public static <T> List<T> kcalloc(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("kcalloc of " + n + " elements");
        }
        if (shouldFailslab()) {
            return null;
        }
        List<T> a = new ArrayList<>(n);
        track(a, "array of " + n);
        return a;
    }

    /**
     * {@code kasprintf(GFP_KERNEL_ACCOUNT, fmt, ...)}: a newly allocated string, or {@code null}
     * when fault injection fails it. Only {@code %d} and {@code %s} conversions, as the modelled
     * callers use.
     */
    @Models("lib/kasprintf.c:kasprintf")
    public static String kasprintf(String fmt, Object... args) {
        if (shouldFailslab()) {
            return null;
        }
        // A new String object every time, so two names with the same text are two allocations.
        String s = new String(String.format(Locale.ROOT, fmt, args));
        track(s, "\"" + s + "\"");
        return s;
    }

    /** {@code kfree()}: {@code null} is allowed and does nothing, as in C. */
    @Models("mm/slub.c:kfree")
    public static void kfree(Object p) {
        if (p == null) {
            return;
        }
        Map<Object, String> live = CURRENT.get().live;
        if (live != null) {
            live.remove(p);
        }
    }

    private static void track(Object p, String what) {
        Map<Object, String> live = CURRENT.get().live;
        if (live != null) {
            live.put(p, caller() + ": " + what);
        }
    }

    /** The modelled function that called the allocator: the first frame outside this class. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Slab.class.getName()))
                .findFirst()
                .map(f -> simpleName(f.getClassName()) + "." + f.getMethodName())
                .orElse("?"));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /**
     * Starts recording this task's allocations, as a kernel with kmemleak does; close the
     * returned scope to stop. Scopes do not nest: starting one while one is open is a bug of the
     * caller.
     */
    public static Kmemleak kmemleak() {
        Task t = CURRENT.get();
        if (t.live != null) {
            throw new IllegalStateException("kmemleak is already recording in this task");
        }
        t.live = new IdentityHashMap<>();
        return new Kmemleak(t);
    }

    /** A recording started by {@link #kmemleak()}. */
    public static final class Kmemleak implements AutoCloseable {
        private final Task task;

        private Kmemleak(Task task) {
            this.task = task;
        }

        /**
         * {@code echo scan > /sys/kernel/debug/kmemleak}: every allocation made since the
         * recording started and not freed, as "function: what" ("array of N" or the string),
         * in no particular order.
         */
        @Models("mm/kmemleak.c:kmemleak_scan")
        public List<String> scan() {
            List<String> out = new ArrayList<>();
            if (task.live == null) {
                throw new IllegalStateException("kmemleak recording was closed");
            }
            out.addAll(task.live.values());
            return out;
        }

        @Override
        public void close() {
            task.live = null;
        }
    }
}
