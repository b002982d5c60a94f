package vfiowb.common.stage;

import java.util.List;
import java.util.Objects;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;

/**
 * A stage that boots under a chosen {@link SeriesPolicy}: what a command's {@code --policy}
 * turns a stage into, so that everything built on {@link Stage#boot(Arch, List)} (the
 * conformance suite, walk, run, serve) runs under it unchanged.
 *
 * @param stage the stage
 * @param policy the policy its boots use
 */
public record PolicyStage(Stage stage, SeriesPolicy policy) implements Stage {
    public PolicyStage {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(policy, "policy");
        if (stage instanceof PolicyStage p) {
            stage = p.stage();
        }
    }

    @Override
    public int number() {
        return stage.number();
    }

    @Override
    public String variant() {
        return stage.variant();
    }

    @Override
    public String module() {
        return stage.module();
    }

    @Override
    public String title() {
        return stage.title();
    }

    @Override
    public List<String> patchSubjects() {
        return stage.patchSubjects();
    }

    @Override
    public String packageRoot() {
        return stage.packageRoot();
    }

    @Override
    public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
        return stage.boot(arch, devices, policy);
    }

    @Override
    public VfioHost boot(Arch arch, List<DeviceSpec> devices, SeriesPolicy p) {
        return stage.boot(arch, devices, p);
    }

    @Override
    public List<String> policyKnobs() {
        return stage.policyKnobs();
    }
}
