package vfiowb.common.hw;

import java.util.function.Function;

/** A catalogue entry whose device is built by a function of the bus (the non-PCI devices). */
public record SimpleDeviceSpec(String name, String driver, String opsTable, String description,
        Function<SystemBus, ? extends Device> factory) implements DeviceSpec {

    public SimpleDeviceSpec {
        if (name == null || name.isBlank() || driver == null || opsTable == null || factory == null) {
            throw new IllegalArgumentException("a device spec needs name, driver, ops table and factory");
        }
    }

    @Override
    public Device create(SystemBus bus) {
        return factory.apply(bus);
    }
}
