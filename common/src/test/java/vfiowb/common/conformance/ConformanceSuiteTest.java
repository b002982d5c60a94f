package vfiowb.common.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.conformance.FakeVfioPciStage.Extra;
import vfiowb.common.conformance.FakeVfioPciStage.Fault;
import vfiowb.common.conformance.clients.Clients;
import vfiowb.common.conformance.scenarios.Scenario;
import vfiowb.common.conformance.scenarios.Scenarios;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;

/** The suite against {@link FakeVfioPciStage}: it passes a faithful fake and catches planted faults. */
class ConformanceSuiteTest {
    static final List<String> FAKE_DEVICES = List.of("legacy-b0", "nic-vf", "subpage-msix", "chelsio-t5-vf",
            "hba-rom64k", "ioport-bar0", "msix-16k");

    static List<DeviceSpec> specs(String... names) {
        return Stream.of(names).map(n -> DeviceCatalogue.byName(n).orElseThrow()).toList();
    }

    static ConformanceResult scenario(FakeVfioPciStage stage, Arch arch, String device, String id) {
        DeviceSpec spec = specs(device).get(0);
        Scenario s = Scenarios.byId(id).orElseThrow();
        DeviceProfile profile = ConformanceSuite.profile(stage, arch, spec);
        return ConformanceSuite.runScenario(stage, arch, spec, profile, s);
    }

    @Nested
    class Catalogue {
        @Test
        void theScenariosOfTheBrief() {
            List<String> ids = ConformanceSuite.scenarios().stream().map(Scenario::id).toList();
            assertEquals(List.of("RI-01", "RI-02", "RI-04", "RI-05", "RI-06", "RI-07", "RI-08",
                    "CAP-01", "CAP-04", "CAP-07", "CAP-08",
                    "RW-01", "RW-02", "RW-04", "RW-05", "RW-06", "RW-07", "RW-08", "RW-10", "RW-11",
                    "MM-01", "MM-02", "MM-03", "MM-06", "MM-07", "MM-08", "MM-09", "MM-11", "MM-12",
                    "MSIX-01", "MSIX-03", "MSIX-04", "MSIX-05", "DS-01", "DS-02", "LG-01", "LG-02",
                    "FZ-03", "DY-01", "DY-02"), ids);
            assertEquals(List.of("qemu", "dpdk"), Clients.all().stream().map(c -> c.name()).toList());
        }
    }

    @Nested
    class FaithfulFake {
        @Test
        void everyDevicePassesOnX86_64() {
            ConformanceReport r = ConformanceSuite.run(new FakeVfioPciStage(), Arch.X86_64,
                    specs(FAKE_DEVICES.toArray(String[]::new)));
            assertTrue(r.passed(), String.join("\n", r.failures()));
            assertEquals(0, r.stage());
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"I386", "ARM64_64K"})
        void pageSizeAndOffsetLimitsPass(Arch arch) {
            ConformanceReport r = ConformanceSuite.run(new FakeVfioPciStage(), arch,
                    specs("legacy-b0", "nic-vf", "subpage-msix", "msix-16k"));
            assertTrue(r.passed(), String.join("\n", r.failures()));
            assertEquals(0, r.stage());
        }

        @Test
        void sparseRegionsPass() {
            ConformanceReport r = ConformanceSuite.run(new FakeVfioPciStage(Set.of(),
                    Set.of(Extra.SPARSE_REGION_9, Extra.SPARSE_BAR0)), Arch.X86_64, specs("legacy-b0", "nic-vf"));
            assertTrue(r.passed(), String.join("\n", r.failures()));
            DeviceReport d = r.device("legacy-b0").orElseThrow();
            assertEquals(Outcome.PASS, d.scenario("CAP-04").orElseThrow().outcome());
            assertEquals(Outcome.PASS, d.scenario("DS-01").orElseThrow().outcome());
            String mm01 = d.scenario("MM-01").orElseThrow().transcript().text();
            assertTrue(mm01.contains("mmap region 9 + 0x2000 len=0x1000"), mm01);
            assertTrue(mm01.contains("mmap region 9 + 0x4000 len=0x2000"), mm01);
        }

        @Test
        void scenariosThatDoNotFitAreNotApplicable() {
            DeviceReport d = ConformanceSuite.run(new FakeVfioPciStage(), Arch.X86_64, specs("legacy-b0"))
                    .devices().get(0);
            for (String id : List.of("RW-10", "RW-05", "MSIX-01", "DS-01", "DS-02", "LG-01", "CAP-04")) {
                assertEquals(Outcome.NOT_APPLICABLE, d.scenario(id).orElseThrow().outcome(), id);
            }
            assertEquals(Outcome.PASS, d.scenario("RW-07").orElseThrow().outcome());
        }

        @Test
        void aDeviceThatIsNotPciGetsOnlyTheGenericScenarios() {
            ConformanceReport r = ConformanceSuite.run(new FakeVfioPciStage(Set.of(), Set.of(Extra.PLATFORM_FLAGS)),
                    Arch.X86_64, specs("nic-vf"));
            DeviceReport d = r.devices().get(0);
            for (String id : List.of("RI-05", "RI-06", "RI-07", "RI-08", "RW-01", "RW-02", "RW-05", "RW-07",
                    "RW-10", "MSIX-01", "MM-11", "FZ-03", "DY-01")) {
                assertEquals(Outcome.NOT_APPLICABLE, d.scenario(id).orElseThrow().outcome(), id);
            }
            for (String id : List.of("RI-02", "RI-04", "CAP-07", "CAP-08", "MM-01", "MM-02", "MM-07", "MM-09")) {
                assertEquals(Outcome.PASS, d.scenario(id).orElseThrow().outcome(), id);
            }
            assertTrue(d.scenario("MM-01").orElseThrow().transcript().text().contains("mmap region 0 + 0x0"));
            assertEquals(List.of("RI-01 nic-vf x86_64: FAIL: vfio-pci reports PCI, 9 + device regions and 5 IRQ "
                    + "indexes (observed RESET|PLATFORM, 9 regions, 5 irqs)"), r.failures());
        }

        @Test
        void transcriptsAreDeterministic() {
            Map<String, Transcript> a = ConformanceSuite.run(new FakeVfioPciStage(), Arch.X86_64,
                    specs("nic-vf")).devices().get(0).transcripts();
            Map<String, Transcript> b = ConformanceSuite.run(new FakeVfioPciStage(), Arch.X86_64,
                    specs("nic-vf")).devices().get(0).transcripts();
            assertEquals(a, b);
        }

        @Test
        void transcriptsDoNotDependOnOffsets() {
            List<DeviceSpec> devices = specs("nic-vf", "hba-rom64k");
            ConformanceReport base = ConformanceSuite.run(new FakeVfioPciStage(), Arch.X86_64, devices);
            ConformanceReport moved = ConformanceSuite.run(new RelocatingStage(new FakeVfioPciStage(), 0x3L << 44),
                    Arch.X86_64, devices);
            for (int i = 0; i < devices.size(); i++) {
                Map<String, Transcript> a = base.devices().get(i).transcripts();
                Map<String, Transcript> b = moved.devices().get(i).transcripts();
                for (String k : a.keySet()) {
                    assertEquals("", a.get(k).diff(b.get(k)), k);
                }
            }
        }
    }

    /** Each planted fault fails the scenario that owns the rule, and only because of the fault. */
    @Nested
    class PlantedViolations {
        static Stream<Arguments> plants() {
            return Stream.of(
                    Arguments.of(Fault.NO_CAPS_FLAG, "nic-vf", "CAP-07", "CAPS"),
                    Arguments.of(Fault.ACCEPT_PRIVATE, "legacy-b0", "MM-02", "MAP_PRIVATE fails with EINVAL"),
                    Arguments.of(Fault.ARGSZ_UNCHECKED, "legacy-b0", "RI-04", "argsz 8 fails with EINVAL"),
                    Arguments.of(Fault.MSIX_TABLE_EXPOSED, "nic-vf", "RW-05", "read as 0xFF"),
                    Arguments.of(Fault.NO_ZAP_ON_RESET, "nic-vf", "MM-11", "reset zapped the BAR mapping"),
                    Arguments.of(Fault.MEMORY_DISABLE_IGNORED, "legacy-b0", "RW-07", "EIO"),
                    Arguments.of(Fault.LOOPING_CHAIN, "nic-vf", "CAP-08", "malformed"),
                    Arguments.of(Fault.COPY_CAPS_PAST_ARGSZ, "nic-vf", "RI-02", "nothing written past byte 32"),
                    Arguments.of(Fault.BROKEN_INVARIANT, "legacy-b0", "RW-01", "model error"));
        }

        @ParameterizedTest(name = "{0} fails {2}")
        @MethodSource("plants")
        void theOwningScenarioFails(Fault fault, String device, String id, String message) {
            ConformanceResult clean = scenario(new FakeVfioPciStage(), Arch.X86_64, device, id);
            assertEquals(Outcome.PASS, clean.outcome(), clean.summary());
            ConformanceResult broken = scenario(new FakeVfioPciStage(Set.of(fault), Set.of()), Arch.X86_64,
                    device, id);
            assertEquals(Outcome.FAIL, broken.outcome(), broken.transcript().text());
            assertTrue(broken.messages().stream().anyMatch(m -> m.contains(message)),
                    broken.messages() + " lacks " + message);
        }

        /** A kernel bug is an outcome of its own: not a pass, not a failure. */
        @Test
        void aKernelBugIsReportedApartFromFailures() {
            FakeVfioPciStage buggy = new FakeVfioPciStage(Set.of(Fault.CONFIG_READ_OUT_OF_BOUNDS),
                    Set.of());
            ConformanceResult clean = scenario(new FakeVfioPciStage(), Arch.X86_64, "legacy-b0", "RW-11");
            assertEquals(Outcome.PASS, clean.outcome(), clean.summary());
            ConformanceResult r = scenario(buggy, Arch.X86_64, "legacy-b0", "RW-11");
            assertEquals(Outcome.KERNEL_BUG, r.outcome(), r.transcript().text());
            assertFalse(r.failed());
            assertEquals(List.of("kernel bug: out-of-bounds in drivers/vfio/pci/fake.c:fake_config_read: "
                    + "planted: config read past cfg_size"), r.messages());
            String text = r.transcript().text();
            int bug = text.indexOf("KERNEL BUG: out-of-bounds in drivers/vfio/pci/fake.c:fake_config_read");
            assertTrue(bug >= 0 && text.indexOf("-> EFAULT", bug) > bug,
                    "the bug is noted where it happened, then the call's EFAULT: " + text);
            ConformanceReport whole = ConformanceSuite.run(buggy, Arch.X86_64, specs("legacy-b0"));
            assertTrue(whole.passed(), String.join("\n", whole.failures()));
            assertEquals(List.of("RW-01", "RW-11"), whole.results().stream()
                    .filter(c -> c.outcome() == Outcome.KERNEL_BUG).map(ConformanceResult::scenarioId).toList());
            assertEquals(2, whole.kernelBugs().size(), whole.kernelBugs().toString());
            assertTrue(whole.summary().contains(" 0 fail, 2 kernel bugs,"), whole.summary());
        }

        @Test
        void aFaultShowsInTheWholeSuiteReport() {
            ConformanceReport r = ConformanceSuite.run(new FakeVfioPciStage(Set.of(Fault.ACCEPT_PRIVATE), Set.of()),
                    Arch.X86_64, specs("legacy-b0"));
            List<String> failing = new ArrayList<>();
            for (ConformanceResult c : r.results()) {
                if (c.failed()) {
                    failing.add(c.scenarioId());
                }
            }
            assertEquals(List.of("MM-02"), failing);
            assertTrue(r.failures().get(0).startsWith("MM-02 legacy-b0 x86_64: FAIL: "), r.failures().get(0));
        }
    }
}
