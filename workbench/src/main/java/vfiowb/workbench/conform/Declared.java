package vfiowb.workbench.conform;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The differences between adjacent stages' conformance transcripts that the series means to
 * make, each with its reason. {@code conform --stage all} marks every difference it finds as
 * declared (with the reason) or not; an undeclared one fails the run, so a stage that changes
 * what userspace sees without saying so is caught.
 *
 * <p>Empty while the stages on the class path (the tree as merged for v6.19) change nothing
 * userspace can see; a stage that moves region offsets (stage 3's cookies) declares it here.
 */
public final class Declared {
    /**
     * One declared difference: between stage {@code from} and {@code to}, for devices whose name
     * matches {@code device} and keys matching {@code key}, a changed transcript line matching
     * {@code line}.
     */
    public record Difference(int from, int to, Pattern device, Pattern key, Pattern line,
            String reason) {
        public boolean matches(int f, int t, String dev, String k, String l) {
            return f == from && t == to && device.matcher(dev).matches() && key.matcher(k).matches()
                    && line.matcher(l.strip()).matches();
        }
    }

    private static final List<Difference> ALL = List.of();

    private Declared() {}

    /** The declaration covering a changed line, or null. */
    public static Difference find(int from, int to, String device, String key, String line) {
        for (Difference d : ALL) {
            if (d.matches(from, to, device, key, line)) {
                return d;
            }
        }
        return null;
    }
}
