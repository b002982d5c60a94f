package vfiowb.workbench.script;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;

/**
 * The names a script may use without assigning them: every integer constant of the uAPI classes
 * under its vfio.h name ({@code VFIO_DEVICE_RESET}, {@code VFIO_REGION_INFO_FLAG_MMAP},
 * {@code VFIO_PCI_CONFIG_REGION_INDEX}, ...), the mman.h {@code PROT_*} and {@code MAP_*}
 * values, the region shorthands {@code BAR0}..{@code BAR5}, {@code ROM}, {@code CONFIG},
 * {@code VGA}, and the architecture's {@code PAGE_SIZE}, {@code PMD_SIZE}, {@code PUD_SIZE}.
 */
final class Constants {
    private static final Map<String, Long> FIXED;
    private static final Set<String> PER_ARCH = Set.of("PAGE_SIZE", "PMD_SIZE", "PUD_SIZE");

    static {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Class<?> c : new Class<?>[] {VfioIoctl.class, VfioRegionInfo.class, VfioDeviceInfo.class,
            VfioIrqInfo.class, VfioIndex.class, VfioRegionType.class, Mman.class}) {
            for (Field f : c.getFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) && Modifier.isFinal(mod)
                        && (f.getType() == int.class || f.getType() == long.class)
                        && f.getName().matches("(VFIO|PROT|MAP)_[A-Z0-9_]+")) {
                    try {
                        m.put(f.getName(), ((Number) f.get(null)).longValue());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        String[] regions = {"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM", "CONFIG", "VGA"};
        for (int i = 0; i < regions.length; i++) {
            m.put(regions[i], (long) i);
        }
        FIXED = Collections.unmodifiableMap(m);
    }

    private Constants() {}

    /** Every name. */
    static Set<String> names() {
        Set<String> s = new java.util.LinkedHashSet<>(FIXED.keySet());
        s.addAll(PER_ARCH);
        return s;
    }

    /** The value of an arch-independent constant, or null (a variable, or PAGE_SIZE and kin). */
    static Long fixed(String name) {
        return FIXED.get(name);
    }

    /** The value of an expression of literals and arch-independent constants only. */
    static long evaluate(Expr e) {
        return Expr.evaluate(e, n -> FIXED.get(n.name()), s -> {
            throw new IllegalStateException("a string in a constant expression");
        });
    }

    /** The value of {@code name} on {@code arch}. */
    static long value(String name, Arch arch) {
        switch (name) {
            case "PAGE_SIZE":
                return arch.pageSize();
            case "PMD_SIZE":
                return arch.pmdSize();
            case "PUD_SIZE":
                return arch.pudSize();
            default:
                Long v = FIXED.get(name);
                if (v == null) {
                    throw new IllegalStateException("no constant " + name);
                }
                return v;
        }
    }
}
