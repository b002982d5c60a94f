package vfiowb.workbench.trace;

/**
 * One modelled kernel function on a call path, from a {@code @Models} name: {@code function} in
 * {@code file} ({@code vfio_get_region_info} in {@code drivers/vfio/vfio_main.c}), and the Java
 * class that models it.
 *
 * @param file the kernel source file, e.g. {@code drivers/vfio/pci/vfio_pci_core.c}
 * @param function the function (or {@code struct name}); empty when the name is a whole file
 * @param javaClass the modelling class's binary name
 */
public record KernelFrame(String file, String function, String javaClass) {
    /** Splits a {@code @Models} value {@code "path/file.c:function"}. */
    public static KernelFrame of(String models, String javaClass) {
        int colon = models.indexOf(':');
        if (colon < 0) {
            return new KernelFrame(models, "", javaClass);
        }
        return new KernelFrame(models.substring(0, colon), models.substring(colon + 1), javaClass);
    }

    /** {@code function}, or the file when the name is a whole file. */
    public String label() {
        return function.isEmpty() ? file : function;
    }

    /** Whether the modelling class lives under {@code packageRoot} + "." + {@code sub}. */
    public boolean inPackage(String packageRoot, String sub) {
        return javaClass.startsWith(packageRoot + "." + sub + ".");
    }
}
