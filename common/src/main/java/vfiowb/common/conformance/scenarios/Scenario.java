package vfiowb.common.conformance.scenarios;

import java.util.Objects;
import java.util.function.Predicate;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.userspace.Process;

/**
 * One scenario of the conformance catalogue (userspace-clients §3): a sequence of syscalls with
 * the kernel's expected outcome asserted inline through {@link Transcript#expect}. Where
 * kernel-facts leaves the outcome to the driver, the scenario records it without asserting.
 *
 * <p>A scenario decides from a device's {@link DeviceProfile} whether it applies, and runs in a
 * fresh process on a freshly booted host, touching the stage only through {@link Process}.
 */
public interface Scenario {
    /** {@code RI-02}. */
    String id();

    /** One line: what the scenario exercises. */
    String title();

    /** Whether the device has what the scenario needs. */
    boolean applies(DeviceProfile device);

    /** Runs the scenario on {@code device} through {@code p}, narrating into {@code t}. */
    void run(Process p, DeviceProfile device, Transcript t);

    /** The body of a scenario built with {@link #of}. */
    @FunctionalInterface
    interface Body {
        void run(Process p, DeviceProfile device, Transcript t);
    }

    /** A scenario from its parts. */
    static Scenario of(String id, String title, Predicate<DeviceProfile> applies, Body body) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(applies, "applies");
        Objects.requireNonNull(body, "body");
        return new Scenario() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String title() {
                return title;
            }

            @Override
            public boolean applies(DeviceProfile device) {
                return applies.test(device);
            }

            @Override
            public void run(Process p, DeviceProfile device, Transcript t) {
                body.run(p, device, t);
            }

            @Override
            public String toString() {
                return id + " " + title;
            }
        };
    }
}
