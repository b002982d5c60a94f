package vfiowb.workbench.trace;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Process;

/**
 * The maple tree of {@code vfio_mmap} cookies a device file holds from stage 3 on, shown as the
 * tree renders itself. The {@link KernelFile} interface does not expose it, so it is found by
 * shape: a public no-argument method of the stage's file, or of the {@code vfio_device_file}
 * behind it ({@code deviceFile()}), returning a type whose name contains "Maple". Files of stages
 * without a tree show nothing.
 */
public final class MapleView {
    private MapleView() {}

    /** The tree of {@code fd}'s file rendered, or null when the file has none (or fd is bad). */
    public static String of(Process p, int fd) {
        KernelFile kf;
        try {
            kf = p.file(fd).kernelFile();
        } catch (ErrnoException e) {
            return null;
        }
        Object tree = find(kf);
        if (tree == null) {
            Object df = call(kf, "deviceFile");
            tree = df == null ? null : find(df);
        }
        return tree == null ? null : String.valueOf(tree);
    }

    private static Object find(Object o) {
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                    && m.getReturnType().getSimpleName().contains("Maple")) {
                try {
                    return m.invoke(o);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Object call(Object o, String name) {
        try {
            return o.getClass().getMethod(name).invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
