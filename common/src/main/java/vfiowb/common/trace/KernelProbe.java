package vfiowb.common.trace;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A point every kernel path of the model passes on its way to userspace, the hardware or the
 * page tables (uaccess copies, VMA and {@code vm_fault} accessors, the mm insert and zap
 * functions, the region-info structure a driver fills). The workbench's narration installs a
 * hook here and reads the call stack at each point to learn which modelled kernel functions a
 * system call went through.
 *
 * <p>Not part of the model: no kernel function has a counterpart. With no hook installed a probe
 * costs one volatile read.
 */
public final class KernelProbe {
    private static volatile Runnable hook;
    private static volatile Consumer<String> notes;

    private KernelProbe() {}

    /** Marks a probe point: runs the installed hook, if any, on the calling thread. */
    public static void here() {
        Runnable h = hook;
        if (h != null) {
            h.run();
        }
    }

    /**
     * Installs {@code h} (null removes it). One hook at a time: the caller that installs one
     * removes it when done.
     *
     * @throws IllegalStateException if another hook is installed
     */
    public static synchronized void install(Runnable h) {
        if (h != null && hook != null) {
            throw new IllegalStateException("a kernel probe hook is already installed");
        }
        hook = h;
    }

    /**
     * A fact a kernel path wants the narration to show (which cookie an offset resolved to, what
     * a tree looks like after a change); {@code what} is only evaluated when a listener is
     * installed.
     */
    public static void note(Supplier<String> what) {
        Consumer<String> n = notes;
        if (n != null) {
            n.accept(what.get());
        }
    }

    /**
     * Installs {@code listener} for {@link #note} (null removes it); one at a time.
     *
     * @throws IllegalStateException if another listener is installed
     */
    public static synchronized void installNotes(Consumer<String> listener) {
        if (listener != null && notes != null) {
            throw new IllegalStateException("a kernel note listener is already installed");
        }
        notes = listener;
    }

    /** Whether a hook is installed. */
    public static boolean active() {
        return hook != null;
    }
}
