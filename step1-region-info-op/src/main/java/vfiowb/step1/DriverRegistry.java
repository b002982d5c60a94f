package vfiowb.step1;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.step1.core.VfioDevice;
import vfiowb.step1.core.VfioDeviceOps;
import vfiowb.step1.drivers.vfiopci.VfioPci;

/**
 * The drivers this stage builds, by {@code vfio_device_ops} table: what module_init and the
 * bus's match tables do in the kernel. Sits above core, pci and drivers, so it is the one
 * place that knows them all.
 */
public final class DriverRegistry {
    /** A driver's probe: binds its ops table to the hardware and returns the VFIO device. */
    @FunctionalInterface
    public interface Probe {
        VfioDevice probe(Device hw, Arch arch);
    }

    private record Entry(VfioDeviceOps ops, Probe probe) {}

    private static final Map<String, Entry> TABLES = new LinkedHashMap<>();

    static {
        register(VfioPci.VFIO_PCI_OPS, (hw, arch) -> VfioPci.vfioPciProbe((PciFunction) hw, arch));
    }

    private DriverRegistry() {}

    private static void register(VfioDeviceOps ops, Probe probe) {
        if (TABLES.put(ops.tableName(), new Entry(ops, probe)) != null) {
            throw new IllegalStateException("ops table registered twice: " + ops.tableName());
        }
    }

    /** Every ops table this stage models, by C identifier, in registration order. */
    public static Map<String, VfioDeviceOps> opsTables() {
        Map<String, VfioDeviceOps> m = new LinkedHashMap<>();
        TABLES.forEach((k, v) -> m.put(k, v.ops()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Probes {@code hw} with the driver owning {@code opsTable}.
     *
     * @throws IllegalArgumentException when this stage models no such table
     */
    public static VfioDevice probe(String opsTable, Device hw, Arch arch) {
        Entry e = TABLES.get(opsTable);
        if (e == null) {
            throw new IllegalArgumentException("stage 1 models no ops table " + opsTable);
        }
        return e.probe().probe(hw, arch);
    }
}
