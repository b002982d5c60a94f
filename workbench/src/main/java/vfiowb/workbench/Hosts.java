package vfiowb.workbench;

import java.util.List;
import java.util.stream.Collectors;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.userspace.Process;

/** Boots stages for the commands, turning "this stage has no such driver" into a user error. */
public final class Hosts {
    private Hosts() {}

    /**
     * Boots {@code stage} with {@code devices}.
     *
     * @throws UserError if the stage models no driver for one of them
     */
    public static VfioHost boot(Stage stage, Arch arch, List<DeviceSpec> devices) {
        try {
            return stage.boot(arch, devices);
        } catch (IllegalArgumentException e) {
            throw new UserError(stage.label() + " cannot bind "
                    + devices.stream().map(DeviceSpec::name).collect(Collectors.joining(", "))
                    + ": " + e.getMessage());
        }
    }

    /** A fresh process on a fresh boot of {@code stage} with one device. */
    public static Process process(Stage stage, Arch arch, DeviceSpec device) {
        return new Process(boot(stage, arch, List.of(device)));
    }

    /** Whether {@code stage} has a driver for {@code device}'s ops table. */
    public static boolean binds(Stage stage, Arch arch, DeviceSpec device) {
        try {
            stage.boot(arch, List.of(device));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
