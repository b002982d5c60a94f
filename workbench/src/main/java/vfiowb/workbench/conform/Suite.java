package vfiowb.workbench.conform;

import java.util.List;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;

/**
 * A conformance suite as {@code conform} drives it: scenarios run per device on one stage, each
 * ending in a userspace transcript that can be compared with the next stage's. The adapter keeps
 * the command independent of which suite is on the class path.
 */
public interface Suite {
    /** For the report header. */
    String name();

    /**
     * One scenario on one device at one stage.
     *
     * @param status {@code pass}, {@code fail}, or {@code unbound} when the stage has no driver
     *     for the device (or the scenario does not apply to it)
     * @param detail why it failed or was skipped; null on pass
     * @param transcript the userspace-visible calls and results, normalised so that stages can be
     *     compared (regions by index, no addresses)
     */
    record Outcome(String device, String scenario, String status, String detail,
            List<String> transcript) {}

    /** A difference between two stages' transcripts the suite expects, with its reason. */
    record Declared(String device, String scenario, int fromStage, int toStage, String line,
            String reason) {}

    /** Runs every scenario on every device at {@code stage}. */
    List<Outcome> run(Stage stage, Arch arch, List<DeviceSpec> devices);

    /** The differences the suite declares between adjacent stages. */
    List<Declared> declared();
}
