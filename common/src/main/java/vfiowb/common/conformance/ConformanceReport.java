package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import vfiowb.common.mm.Arch;

/** The suite's result for one stage on one arch: a {@link DeviceReport} per device. */
public record ConformanceReport(int stage, String stageModule, Arch arch,
        List<DeviceReport> devices) {
    public ConformanceReport {
        Objects.requireNonNull(stageModule, "stageModule");
        Objects.requireNonNull(arch, "arch");
        devices = List.copyOf(devices);
    }

    public boolean passed() {
        return devices.stream().allMatch(DeviceReport::passed);
    }

    /** Every failure line of every device. */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        for (DeviceReport d : devices) {
            out.addAll(d.failures());
        }
        return out;
    }

    /** Every kernel-bug line of every device ({@link DeviceReport#kernelBugs()}). */
    public List<String> kernelBugs() {
        List<String> out = new ArrayList<>();
        for (DeviceReport d : devices) {
            out.addAll(d.kernelBugs());
        }
        return out;
    }

    /** Every scenario result of every device, device by device. */
    public List<ConformanceResult> results() {
        List<ConformanceResult> out = new ArrayList<>();
        for (DeviceReport d : devices) {
            out.addAll(d.scenarios());
        }
        return out;
    }

    public Optional<DeviceReport> device(String name) {
        return devices.stream().filter(d -> d.device().equals(name)).findFirst();
    }

    /**
     * Counts per outcome, e.g. {@code "stage 2 x86_64: 13 devices, 402 pass, 0 fail, 1 kernel
     * bug, 81 n/a, 0 client failures"}.
     */
    public String summary() {
        long pass = 0;
        long fail = 0;
        long bug = 0;
        long na = 0;
        for (ConformanceResult r : results()) {
            switch (r.outcome()) {
                case PASS:
                    pass++;
                    break;
                case FAIL:
                    fail++;
                    break;
                case KERNEL_BUG:
                    bug++;
                    break;
                default:
                    na++;
            }
        }
        long clientFails = devices.stream().flatMap(d -> d.clients().stream())
                .filter(ClientRun::failed).count();
        return String.format("stage %d %s: %d devices, %d pass, %d fail, %d kernel bug%s, %d n/a, "
                + "%d client failures", stage, arch.cliName(), devices.size(), pass, fail, bug,
                bug == 1 ? "" : "s", na, clientFails);
    }
}
