package vfiowb.workbench.conform;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The differences between adjacent stages' conformance transcripts that the series means to
 * make, each with its reason. {@code conform --stage all} marks every difference it finds as
 * declared (with the reason) or not; an undeclared one fails the run, so a stage that changes
 * what userspace sees without saying so is caught.
 *
 * <p>Stage 1 to 2 (v6.19's own patches) changes what userspace sees in two places, both
 * fixes the series meant; a later stage that moves what userspace sees (stage 3's cookies)
 * declares it here too.
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

    private static final List<Difference> ALL = List.of(
            new Difference(1, 2, Pattern.compile(".*"), Pattern.compile("scenario:RI-04"),
                    Pattern.compile("GET_REGION_INFO region \\d+ argsz=\\d+ -> (EOPNOTSUPP|EINVAL)"
                            + "|expect index \\S+ fails with EINVAL: (FAILED \\(EOPNOTSUPP\\)|ok)"),
                    "\"vfio: Require drivers to implement get_region_info\": the core answers "
                            + "REGION_INFO itself and refuses a driver without the op (vfio-ap, no "
                            + "regions) with -EINVAL, where the driver's own ioctl said -EOPNOTSUPP"),
            new Difference(1, 2, Pattern.compile("mbochs"), Pattern.compile(".*"),
                    Pattern.compile(".*(region 9|cap_offset|argsz|cap@|capabilit|chain).*"),
                    "\"vfio/mbochs: Convert mbochs to use vfio_info_add_capability()\": mbochs "
                            + "copied argsz bytes of its fixed info-plus-TYPE structure with cap_offset "
                            + "32 whatever argsz was, and refused a larger argsz with -EINVAL; the "
                            + "core's copy raises argsz and leaves cap_offset 0 when the chain does "
                            + "not fit"));

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
