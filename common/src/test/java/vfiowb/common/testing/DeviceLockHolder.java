package vfiowb.common.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import vfiowb.common.hw.PciFunction;

/**
 * Runs a test body while another thread holds a function's {@code pci_dev_lock}, as a reset
 * through sysfs or AER recovery would: {@code pci_try_reset_function} then answers -EAGAIN,
 * which fails {@code vfio_pci_core_enable} and so every open_device built on it.
 */
public final class DeviceLockHolder {
    private DeviceLockHolder() {}

    public static <T> T whileHeldElsewhere(PciFunction f, Supplier<T> body) {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
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
        other.start();
        try {
            if (!held.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the other thread never took the device lock");
            }
            return body.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            release.countDown();
            try {
                other.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
