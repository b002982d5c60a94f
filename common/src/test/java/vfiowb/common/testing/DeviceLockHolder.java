package vfiowb.common.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import vfiowb.common.hw.PciFunction;

/**
 * Another kernel path holding a PCI function's device lock ({@code pci_dev_lock}) while a test
 * runs: a second thread takes the lock, the body runs on the test's thread, then the second
 * thread lets go. The model's lock is reentrant, so only another thread can make the
 * {@code pci_dev_trylock} of {@code pci_try_reset_function} fail.
 */
public final class DeviceLockHolder {
    private DeviceLockHolder() {}

    /** What the test runs while the lock is held elsewhere. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    /** Runs {@code body} while another thread holds {@code f}'s device lock. */
    public static <T> T whileHeldElsewhere(PciFunction f, Body<T> body) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            f.pciDevLock();
            try {
                held.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                f.pciDevUnlock();
            }
        }, "pci_dev_lock holder");
        holder.start();
        try {
            if (!held.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the holder never took the lock");
            }
            return body.run();
        } finally {
            release.countDown();
            holder.join(10_000);
        }
    }
}
