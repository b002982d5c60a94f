package vfiowb.common.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a step of a test on a second thread and fails unless it finishes within a few seconds.
 * The model's locks are reentrant, so a lock the test's own thread forgot to release (an
 * {@code up_read} or {@code up_write} left out) is invisible to that thread; another thread
 * blocks on it. Takes milliseconds when nothing is held.
 */
public final class OtherThread {
    private OtherThread() {}

    /** {@code op}'s result; a RuntimeException it throws is rethrown as is. */
    public static <T> T run(String what, Supplier<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(op.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-other-thread");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " blocked: a lock is still held by the test's thread");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
