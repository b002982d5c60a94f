package vfiowb.common.errno;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An upstream kernel bug the model reproduces, as the kernel's own report names it: the function
 * where it fires ({@code samples/vfio-mdev/mbochs.c:__mbochs_get_page}), what kind of report it
 * is, and one line of why.
 *
 * <p>Neither an errno (a user mistake the kernel refuses) nor a model bug (a broken invariant of
 * the model, an {@link IllegalStateException}): the real kernel misbehaves at this point, and
 * KASAN, UBSAN or an oops would say so. Model code raises it with {@link KernelBugException}
 * exactly there; the syscall boundary turns it into what the calling thread sees and records it
 * (see {@code vfiowb.common.userspace.Process}).
 *
 * @param function {@code path/file.c:function}, the kernel function the report names
 * @param kind the kind of report
 * @param reason one line: what went wrong and which upstream code lets it happen
 */
public record KernelBug(String function, Kind kind, String reason) {
    private static final Pattern FUNCTION = Pattern.compile("[\\w./-]+\\.[ch]:\\w+");

    /** What the kernel (or its sanitizers) would report. */
    public enum Kind {
        /** KASAN slab-out-of-bounds, or UBSAN array-index-out-of-bounds. */
        OUT_OF_BOUNDS("out-of-bounds"),
        /** {@code kernel BUG at ...}: a {@code BUG_ON} whose condition holds. */
        BUG_ON("BUG_ON"),
        /** KASAN use-after-free. */
        USE_AFTER_FREE("use-after-free"),
        /** An oops on a NULL pointer dereference. */
        NULL_DEREFERENCE("NULL pointer dereference"),
        /** A {@code WARN_ON} whose condition holds. */
        WARN("WARN");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The words the report uses ({@code out-of-bounds}, {@code BUG_ON}, ...). */
        public String label() {
            return label;
        }
    }

    public KernelBug {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (!FUNCTION.matcher(function).matches()) {
            throw new IllegalArgumentException("not a path/file.c:function name: " + function);
        }
        if (reason.isBlank() || reason.contains("\n")) {
            throw new IllegalArgumentException("the reason is one non-empty line: " + reason);
        }
    }

    /** The source file, {@code samples/vfio-mdev/mbochs.c}. */
    public String file() {
        return function.substring(0, function.indexOf(':'));
    }

    /** The bare function name, {@code __mbochs_get_page}. */
    public String functionName() {
        return function.substring(function.indexOf(':') + 1);
    }

    /** {@code out-of-bounds in samples/vfio-mdev/mbochs.c:__mbochs_get_page: <reason>}. */
    @Override
    public String toString() {
        return kind.label() + " in " + function + ": " + reason;
    }
}
