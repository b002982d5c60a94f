package vfiowb.common.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.kernelbugs.KnownKernelBugs;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;

/**
 * The userspace conformance suite as every stage module runs it: every catalogue device whose
 * ops table the stage binds, on x86_64, on i386 (where mmap of a region whose offset is at
 * 4 GiB or more fails with EOVERFLOW, the kernel's behaviour, which the scenarios expect) and on
 * arm64 with 64 KiB pages; plus a check that transcripts do not depend on the file layout.
 *
 * <p>Failures a stage lists as known deviations are tolerated, every other failure fails the
 * test, and a listed deviation that no longer shows fails it too, so the list is pruned when a
 * fix lands. A stage module subclasses this with its stage, its registry's tables and its list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StageConformanceTests {
    /**
     * A failure the suite reports on a stage today: the device, text of the failure line, and
     * why (a model bug not yet fixed, or kernel behaviour the stage keeps on purpose).
     */
    public record KnownDeviation(String device, String failureContains, String why,
            Set<Arch> arches) {
        /** A deviation on every arch the suite runs. */
        public KnownDeviation(String device, String failureContains, String why) {
            this(device, failureContains, why, Set.of(ARCHES));
        }

        /** {@code device} "*" matches every device. */
        boolean matches(Arch arch, String failure) {
            return arches.contains(arch)
                    && (device.equals("*") || failure.contains(" " + device + " "))
                    && failure.contains(failureContains);
        }
    }

    private final Stage stage;
    private final Set<String> opsTables;
    private final List<KnownDeviation> known;

    /**
     * @param stage the stage under test
     * @param opsTables the ops tables its registry binds (only their catalogue devices run)
     * @param known failures tolerated on this stage; each must still show
     */
    protected StageConformanceTests(Stage stage, Set<String> opsTables,
            List<KnownDeviation> known) {
        this.stage = stage;
        this.opsTables = opsTables;
        this.known = List.copyOf(known);
    }

    /**
     * x86_64 and i386 as the issue asks, and arm64 with 64 KiB pages, where MSI-X tables stop
     * being page aligned (MSIX-03) and sub-page BARs multiply.
     */
    static final Arch[] ARCHES = {Arch.X86_64, Arch.I386, Arch.ARM64_64K};

    /**
     * Where the suite runs into each known kernel bug on x86_64, by ops table:
     * {@code "device scenario"}. A stage that does not reproduce one yet leaves it out.
     */
    protected Map<String, String> kernelBugsReached() {
        return Map.of("mbochs_dev_ops", "mbochs RW-11", "mtty_dev_ops", "mtty RW-11",
                "nvgrace_gpu_pci_ops", "nvgrace-gh200 MM-12");
    }

    /**
     * Each arch's report, run by the first test that asks for it and kept for the others. Not
     * built in a {@code @BeforeAll}: a mutation tester credits a test only with the code run
     * inside it, and runs each test on its own, so each test must be able to build what it checks.
     */
    private final Map<Arch, ConformanceReport> reports = new EnumMap<>(Arch.class);

    List<DeviceSpec> devices() {
        return DeviceCatalogue.all().stream()
                .filter(s -> opsTables.contains(s.opsTable())).toList();
    }

    ConformanceReport report(Arch arch) {
        ConformanceReport r = reports.get(arch);
        if (r == null) {
            long t0 = System.nanoTime();
            r = ConformanceSuite.run(stage, arch, devices());
            reports.put(arch, r);
            System.out.println(r.summary() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            if (Boolean.getBoolean("vfiowb.conformance.dump")) {
                write(r);
            }
        }
        return r;
    }

    /**
     * Every applicable transcript under target/conformance/<arch>/<device>/, for review; with
     * {@code -Dvfiowb.conformance.dump=true}.
     */
    private static void write(ConformanceReport r) {
        for (DeviceReport d : r.devices()) {
            Path dir = Path.of("target", "conformance", r.arch().cliName(), d.device());
            try {
                Files.createDirectories(dir);
                for (Map.Entry<String, Transcript> e : d.transcripts().entrySet()) {
                    if (!e.getValue().lines().isEmpty()) {
                        Files.writeString(dir.resolve(e.getKey().replace(':', '_') + ".txt"),
                                e.getValue().text());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean known(Arch arch, String failure) {
        return known.stream().anyMatch(b -> b.matches(arch, failure));
    }

    @Nested
    class Catalogue {
        @Test
        void coversEveryRegisteredTable() {
            assertFalse(devices().isEmpty());
            for (String table : opsTables) {
                assertTrue(devices().stream().anyMatch(d -> d.opsTable().equals(table)),
                        "no catalogue device for " + table);
            }
        }
    }

    @Nested
    class Suite {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386", "ARM64_64K"})
        void noScenarioOrClientFails(Arch arch) {
            List<String> unexpected = new ArrayList<>();
            for (String f : report(arch).failures()) {
                if (!known(arch, f)) {
                    unexpected.add(f);
                }
            }
            assertTrue(unexpected.isEmpty(), String.join("\n", unexpected));
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386", "ARM64_64K"})
        void everyKnownDeviationStillShows(Arch arch) {
            for (KnownDeviation b : known) {
                if (b.arches().contains(arch)) {
                    assertTrue(report(arch).failures().stream().anyMatch(f -> b.matches(arch, f)),
                            "fixed? remove from the known deviations: " + b);
                }
            }
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386", "ARM64_64K"})
        void everyDeviceRanScenarios(Arch arch) {
            for (DeviceReport d : report(arch).devices()) {
                // Every applicable scenario that ran either passed or is a listed deviation
                // (noScenarioOrClientFails). Drivers that own every path (ISM, the non-PCI ones)
                // meet only the core's and mm's rules, and vfio-ap has no region at all (only
                // RI-04 applies); each device must still have run some, so none is skipped.
                int floor = DriverFacts.vfioPciCore(DeviceCatalogue.byName(d.device()).orElseThrow())
                        && !"ism".equals(d.device()) ? 10 : "ap-matrix".equals(d.device()) ? 1 : 3;
                assertTrue(d.scenarios().stream().filter(s -> s.outcome() != Outcome.NOT_APPLICABLE).count() >= floor,
                        d.device() + " ran fewer than " + floor + " scenarios");
                assertEquals(2, d.clients().size());
            }
        }

        /** Kernel bugs are outcomes, but only the known upstream ones. */
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386", "ARM64_64K"})
        void everyKernelBugIsAKnownUpstreamOne(Arch arch) {
            List<String> unknown = new ArrayList<>();
            for (DeviceReport d : report(arch).devices()) {
                for (Transcript t : d.transcripts().values()) {
                    t.kernelBugs().stream().filter(b -> !KnownKernelBugs.known(b))
                            .forEach(b -> unknown.add(d.device() + " " + t.title() + ": " + b));
                }
            }
            assertTrue(unknown.isEmpty(), String.join("\n", unknown));
        }

        /** Where the suite reaches a known kernel bug, the matrix counts it as one. */
        @Test
        void theKnownKernelBugsShowAsKernelBugs() {
            for (Map.Entry<String, String> e : kernelBugsReached().entrySet()) {
                if (!opsTables.contains(e.getKey())) {
                    continue;
                }
                String[] where = e.getValue().split(" ");
                ConformanceResult r = report(Arch.X86_64).device(where[0]).orElseThrow()
                        .scenario(where[1]).orElseThrow();
                assertEquals(Outcome.KERNEL_BUG, r.outcome(), r.transcript().text());
                assertTrue(report(Arch.X86_64).kernelBugs().stream()
                        .anyMatch(l -> l.startsWith(where[1] + " " + where[0] + " x86_64: KERNEL_BUG: kernel bug: ")),
                        report(Arch.X86_64).kernelBugs().toString());
            }
        }

        @Test
        void i386RefusesMappingsPastFourGiB() {
            DeviceReport gpu = report(Arch.I386).device("gpu-64g").orElseThrow();
            String mm01 = gpu.scenario("MM-01").orElseThrow().transcript().text();
            assertTrue(mm01.contains("mmap BAR3 + 0x0 len=0x2000000 PROT_READ|PROT_WRITE MAP_SHARED -> EOVERFLOW"),
                    mm01);
            assertTrue(mm01.contains("mmap BAR0 + 0x0 len=0x1000000 PROT_READ|PROT_WRITE MAP_SHARED -> ok"), mm01);
        }

        @Test
        void sixtyFourKibPagesReachMsix03() {
            DeviceReport d = report(Arch.ARM64_64K).device("msix-16k").orElseThrow();
            assertEquals(Outcome.PASS, d.scenario("MSIX-03").orElseThrow().outcome());
            assertEquals(Outcome.NOT_APPLICABLE, report(Arch.X86_64).device("msix-16k").orElseThrow()
                    .scenario("MSIX-03").orElseThrow().outcome());
        }

    }

    /**
     * File offsets are not ABI: moving every region by a constant (what a later stage's layout
     * may do) must leave every transcript unchanged, or the suite depends on raw offsets.
     */
    @Nested
    class OffsetIndependence {
        /** Every device while there are few; the first of each ops table once there are many. */
        private List<DeviceSpec> sample() {
            if (devices().size() <= 16) {
                return devices();
            }
            Map<String, DeviceSpec> first = new java.util.LinkedHashMap<>();
            devices().forEach(d -> first.putIfAbsent(d.opsTable(), d));
            return new ArrayList<>(first.values());
        }

        @Test
        void transcriptsDoNotDependOnTheLayout() {
            List<DeviceSpec> sample = sample();
            ConformanceReport moved = ConformanceSuite.run(new RelocatingStage(stage, 0x7L << 42),
                    Arch.X86_64, sample);
            ConformanceReport base = report(Arch.X86_64);
            for (DeviceReport m : moved.devices()) {
                Map<String, Transcript> a = base.device(m.device()).orElseThrow().transcripts();
                Map<String, Transcript> b = m.transcripts();
                assertEquals(a.keySet(), b.keySet());
                for (String k : a.keySet()) {
                    assertEquals("", a.get(k).diff(b.get(k)), m.device() + " " + k);
                }
            }
        }
    }
}
