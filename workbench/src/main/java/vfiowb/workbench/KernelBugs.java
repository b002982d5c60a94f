package vfiowb.workbench;

import java.util.Optional;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.userspace.SegvException;
import vfiowb.workbench.json.Json;

/**
 * How the commands show an upstream kernel bug the model reproduced ({@link KernelBug}): as a
 * JSON object and as the line a person reads, naming the upstream file and function.
 */
public final class KernelBugs {
    private KernelBugs() {}

    /** The kernel bug a failed call carries, if it failed because of one. */
    public static Optional<KernelBug> of(Throwable failure) {
        if (failure instanceof ErrnoException) {
            return ((ErrnoException) failure).kernelBug();
        }
        if (failure instanceof SegvException) {
            return ((SegvException) failure).kernelBug();
        }
        return Optional.empty();
    }

    /** {@code {"function": "path/file.c:name", "kind": "out-of-bounds", "reason": "..."}}. */
    public static Json.Obj json(KernelBug b) {
        return Json.obj().put("function", b.function()).put("kind", b.kind().label())
                .put("reason", b.reason());
    }

    /**
     * {@code kernel bug: out-of-bounds in __mbochs_get_page (samples/vfio-mdev/mbochs.c):
     * reason}.
     */
    public static String line(KernelBug b) {
        return "kernel bug: " + b.kind().label() + " in " + b.functionName() + " (" + b.file()
                + "): " + b.reason();
    }
}
