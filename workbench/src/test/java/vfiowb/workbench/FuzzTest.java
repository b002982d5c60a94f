package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PhysicalMemory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.common.testing.SeededRuns;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.fuzz.Campaign;
import vfiowb.workbench.fuzz.Fuzzer;
import vfiowb.workbench.fuzz.ReplayScript;

/**
 * The fuzzer's slice of {@code mvn verify}: a few tens of thousands of operations on every
 * stage, seeds across stages, and the replay of what it emits. At length, on demand:
 * {@code mvn -B -pl workbench -am verify -Dtest='FuzzTest*' -Dvfiowb.scale=50} (50 times the
 * seeds), or {@code vfio-workbench fuzz} (docs/fuzz.md).
 */
class FuzzTest {
    private static final int SEEDS_PER_STAGE = 40;
    private static final int OPS_PER_SEED = 1000;

    static Stream<Stage> stages() {
        return Stages.all().stream();
    }

    private static List<DeviceSpec> bound(Stage s) {
        List<DeviceSpec> out = new ArrayList<>();
        for (DeviceSpec d : DeviceCatalogue.all()) {
            if (Hosts.binds(s, Arch.X86_64, d)) {
                out.add(d);
            }
        }
        return out;
    }

    /** One sequence: a fuzzer on one device, and what to say when it breaks. */
    private record Sequence(Stage stage, DeviceSpec device, long seed, Fuzzer fuzzer) {
        String report(Fuzzer.Violation v) {
            Fuzzer.Run run = fuzzer.result();
            String replay = "vfio-workbench fuzz --stage " + stage.number() + " --seed " + seed
                    + " --ops " + (v.op() + 1) + " --device " + device.name();
            return device.name() + " at stage " + stage.number() + ", operation " + v.op() + ": "
                    + v.invariant() + ": " + v.message() + "\n  replay: " + replay + "\n"
                    + (v.trace() == null ? "" : v.trace() + "\n")
                    + ReplayScript.of(run, v.op(), List.of(replay), "vfio-workbench run --stage "
                            + stage.number() + " THIS_FILE");
        }
    }

    @Nested
    class EveryStage {
        @ParameterizedTest(name = "stage {0}")
        @MethodSource("vfiowb.workbench.FuzzTest#stages")
        void noInvariantBreaks(Stage s) {
            List<DeviceSpec> devices = bound(s);
            SeededRuns.Totals t = SeededRuns.of("fuzz at stage " + s.number(), SEEDS_PER_STAGE,
                    OPS_PER_SEED).run(random -> {
                        DeviceSpec d = devices.get(random.nextInt(devices.size()));
                        long seed = random.nextLong();
                        return new Sequence(s, d, seed, Fuzzer.start(new Process(
                                Hosts.boot(s, Arch.X86_64, List.of(d))), d.name(), seed));
                    }, (seq, random, step) -> {
                        Fuzzer.Violation v = seq.fuzzer().step();
                        if (v != null) {
                            fail(seq.report(v));
                        }
                    });
            assertTrue(t.steps() >= 10_000 || System.getProperty(SeededRuns.SEED_PROPERTY) != null,
                    "a few tens of thousands of operations per stage: " + t.steps());
        }
    }

    @Nested
    class AcrossStages {
        @Test
        void oneSeedGivesTheSameOutcomesAtEveryStageModuloTheDeclaredDifferences() {
            List<Stage> stages = Stages.all();
            List<DeviceSpec> devices = bound(stages.get(0));
            SeededRuns.of("fuzz across stages", 12, 1).run(random -> random, (random, r, step) -> {
                DeviceSpec d = devices.get(random.nextInt(devices.size()));
                long seed = random.nextLong();
                Campaign.Result res = Campaign.run(stages, Arch.X86_64, SeriesPolicy.DEFAULT, d, seed,
                        1000);
                for (Campaign.StageRun sr : res.runs()) {
                    Fuzzer.Violation v = sr.run().violation();
                    if (v != null) {
                        fail(d.name() + " at stage " + sr.stage().number() + ", seed " + seed + ": "
                                + v.invariant() + ": " + v.message());
                    }
                }
                Campaign.Difference diff = res.difference();
                if (diff != null) {
                    fail(d.name() + ", seed " + seed + ", operation " + diff.op() + ": stage "
                            + diff.from() + " gave '" + diff.before() + "', stage " + diff.to()
                            + " '" + diff.after() + "', and no declaration covers it (replay: "
                            + "vfio-workbench fuzz --stage all --seed " + seed + " --ops 1000 --device "
                            + d.name() + ")");
                }
            });
        }

        @Test
        void aDifferenceNoDeclarationCoversIsReported() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                List<Stage> all = Stages.all();
                List<Stage> pair = all.subList(all.size() - 2, all.size());
                DeviceSpec nic = DeviceCatalogue.byName("nic-vf").orElseThrow();
                Campaign.Result r = null;
                for (long seed = 1; seed < 40 && (r == null || r.difference() == null); seed++) {
                    r = Campaign.run(pair, Arch.X86_64, SeriesPolicy.DEFAULT, nic, seed, 400);
                }
                assertNotNull(r.difference(), "the test stage refuses mmap beyond BAR0 with ENXIO");
                assertTrue(r.difference().after().endsWith("-> ENXIO"), r.difference().toString());
                assertFalse(r.passed());
            }
        }
    }

    @Nested
    class ItsScriptsReplay {
        @TempDir
        Path tmp;

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"nic-vf", "legacy-b0", "mtty", "cdx-dev", "platform-xgmac", "mdpy"})
        void runRepeatsEveryOutcomeOfAFuzzRun(String device) throws IOException {
            Stage last = Stages.all().get(Stages.all().size() - 1);
            DeviceSpec d = DeviceCatalogue.byName(device).orElseThrow();
            Fuzzer.Run run = Fuzzer.run(new Process(Hosts.boot(last, Arch.X86_64, List.of(d))),
                    device, 7, 400);
            assertTrue(run.passed(), String.valueOf(run.violation()));
            Path script = tmp.resolve(device + ".vfio");
            Files.writeString(script, ReplayScript.of(run, Integer.MAX_VALUE, List.of("test"), "run"));
            Cli.Result r = Cli.run("run", "--stage", String.valueOf(last.number()), script.toString());
            assertEquals(run.kernelBugs().isEmpty() ? 0 : Workbench.KERNEL_BUG, r.code(),
                    r.err() + "\n" + Files.readString(script));
            long statements = run.steps().stream().filter(s -> !s.script().startsWith("#")).count();
            assertEquals(statements, r.jsonLines().size(), "one transcript line per system call");
            assertTrue(statements > 100, "the run made calls: " + statements);
        }
    }

    @Nested
    class TheCommand {
        @Test
        void passesAndSaysWhatItDid() {
            Cli.Result r = Cli.run("fuzz", "--stage", "2", "--seed", "3", "--ops", "300", "--device",
                    "nic-vf", "--format", "json");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> j = r.json();
            assertEquals(Boolean.TRUE, j.get("passed"));
            assertEquals(3L, j.get("seed"));
            @SuppressWarnings("unchecked")
            Map<String, Object> dev = ((List<Map<String, Object>>) j.get("devices")).get(0);
            assertEquals("nic-vf", dev.get("device"));
            Cli.Result t = Cli.run("fuzz", "--stage", "2", "--seed", "3", "--ops", "300", "--device",
                    "nic-vf");
            assertTrue(t.out().contains("  nic-vf             stage 2     300 ops  PASS  calls: "), t.out());
        }

        @Test
        void aFailureGivesTheSeedTheOperationAndAScriptRunReplays(@TempDir Path tmp) throws IOException {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                ExtraStages.NextStage.buggy = true;
                String next = String.valueOf(ExtraStages.last());
                Path script = tmp.resolve("fail.vfio");
                Cli.Result r = null;
                for (int seed = 1; seed < 40; seed++) {
                    r = Cli.run("fuzz", "--stage", next, "--seed", String.valueOf(seed), "--ops", "400",
                            "--device", "nic-vf", "--emit", script.toString());
                    if (r.code() != 0) {
                        break;
                    }
                }
                assertEquals(1, r.code(), r.out() + r.err());
                assertTrue(r.err().startsWith("fuzz: nic-vf at stage " + next + ", seed "), r.err());
                assertTrue(r.err().contains("no outcome but an errno, a signal or a named kernel bug: "
                        + "internal error: java.lang.IllegalStateException: test driver bug"), r.err());
                String text = Files.readString(script);
                assertTrue(text.startsWith("# vfio-workbench fuzz --stage " + next + " --seed "), text);
                Cli.Result replay = Cli.run("run", "--stage", next, script.toString());
                assertEquals(Workbench.INTERNAL, replay.code(), "the replay reaches the same bug: "
                        + replay.err());
                assertTrue(replay.err().contains("test driver bug"), replay.err());
            }
        }

        @Test
        void badArgumentsAreOneLine() {
            Cli.Result r = Cli.run("fuzz", "--ops", "0");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            Cli.Result s = Cli.run("fuzz", "--stage", "1", "--device", "no-such");
            assertEquals(2, s.code());
            assertTrue(s.oneErrorLine(), s.err());
        }
    }

    /** Each invariant catches a stage that breaks it: no check is vacuous. */
    @Nested
    class Teeth {
        /** A file of the last stage with one behaviour changed. */
        private abstract static class Changed implements KernelFile {
            final KernelFile f;

            Changed(KernelFile f) {
                this.f = f;
            }

            @Override
            public long read(UserBuffer buf, long count, long pos) {
                return f.read(buf, count, pos);
            }

            @Override
            public long write(UserBuffer buf, long count, long pos) {
                return f.write(buf, count, pos);
            }

            @Override
            public long unlockedIoctl(int cmd, UserBuffer arg) {
                return f.unlockedIoctl(cmd, arg);
            }

            @Override
            public int mmap(VmArea vma) {
                return f.mmap(vma);
            }

            @Override
            public void release() {
                f.release();
            }

            @Override
            public AddressSpace mapping() {
                return f.mapping();
            }

            @Override
            public String name() {
                return f.name();
            }

            @Override
            public long mmapCookieCount() {
                return f.mmapCookieCount();
            }
        }

        /** The first violation the fuzzer finds on {@code device} with files changed by {@code wrap}. */
        private Fuzzer.Violation find(Stage s, String device,
                java.util.function.BiFunction<VfioHost, KernelFile, KernelFile> wrap) {
            DeviceSpec d = DeviceCatalogue.byName(device).orElseThrow();
            for (long seed = 1; seed <= 40; seed++) {
                VfioHost h = Hosts.boot(s, Arch.X86_64, List.of(d));
                VfioHost changed = new VfioHost() {
                    @Override
                    public Arch arch() {
                        return h.arch();
                    }

                    @Override
                    public PhysicalMemory physicalMemory() {
                        return h.physicalMemory();
                    }

                    @Override
                    public KernelFile open(String name) {
                        return wrap.apply(h, h.open(name));
                    }

                    @Override
                    public List<String> deviceNames() {
                        return h.deviceNames();
                    }

                    @Override
                    public Device device(String name) {
                        return h.device(name);
                    }
                };
                Fuzzer.Run run = Fuzzer.run(new Process(changed), device, seed, 800);
                if (!run.passed()) {
                    return run.violation();
                }
            }
            return null;
        }

        @Test
        void anErrnoTheKernelNeverGives() {
            Fuzzer.Violation v = find(Stages.all().get(0), "nic-vf", (h, f) -> new Changed(f) {
                @Override
                public int mmap(VmArea vma) {
                    return -Errno.ENOSPC;
                }
            });
            assertNotNull(v);
            assertEquals("every errno is one the kernel gives for that call and driver", v.invariant());
            assertTrue(v.message().startsWith("mmap gave ENOSPC"), v.message());
        }

        @Test
        void aMappingOfTheWrongPartOfItsBar() {
            Fuzzer.Violation v = find(Stages.all().get(0), "nic-vf", (h, f) -> new Changed(f) {
                @Override
                public int mmap(VmArea vma) {
                    vma.setVmPgoff(vma.vmPgoff() + 1);
                    return f.mmap(vma);
                }
            });
            assertNotNull(v);
            assertEquals("no mapping reaches memory outside its own region's backing", v.invariant());
        }

        @Test
        void aResetThatLeavesMappingsInPlace() {
            Fuzzer.Violation v = find(Stages.all().get(0), "legacy-b0", (h, f) -> new Changed(f) {
                @Override
                public long unlockedIoctl(int cmd, UserBuffer arg) {
                    if (cmd == VfioIoctl.VFIO_DEVICE_RESET) {
                        return 0;
                    }
                    return f.unlockedIoctl(cmd, arg);
                }
            });
            assertNotNull(v);
            assertEquals("after reset or memory disable no stale mapping reads or writes the device",
                    v.invariant());
        }

        @Test
        void aReleasedFileThatKeepsItsCookies() {
            Fuzzer.Violation v = find(Stages.all().get(0), "nic-vf", (h, f) -> new Changed(f) {
                @Override
                public long mmapCookieCount() {
                    return 3;
                }
            });
            assertNotNull(v);
            assertEquals("after close, once its mappings are gone, the file's tree is empty",
                    v.invariant());
        }

        @Test
        void anExceptionOutOfTheModel() {
            Fuzzer.Violation v = find(Stages.all().get(0), "nic-vf", (h, f) -> new Changed(f) {
                @Override
                public long read(UserBuffer buf, long count, long pos) {
                    throw new IllegalStateException("broken read");
                }
            });
            assertNotNull(v);
            assertEquals("no outcome but an errno, a signal or a named kernel bug", v.invariant());
            assertNotNull(v.trace());
        }
    }

    /**
     * The bus respects each arch's physical address width: on i386, CDX MMIO used to sit at
     * 64 TiB, where vfio-cdx's PFN in {@code vm_pgoff} (an {@code unsigned long}) was truncated
     * and a mapping reached physical page 0 (seed 21, operation 194).
     */
    @Nested
    class PhysicalAddressWidth {
        @Test
        void cdxOnI386Seed21PassesAtEveryStage() {
            Cli.Result r = Cli.run("fuzz", "--arch", "i386", "--stage", "all", "--device", "cdx-dev",
                    "--seed", "21", "--ops", "1000");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("cdx-dev"), r.out());
        }

        @Test
        void aDeviceThatCannotExistOnTheArchIsAUsageError() {
            DeviceSpec huge = vfiowb.common.hw.PciFunctionSpec.builder("huge-bar").ids(0x1B36, 0x0010)
                    .classCode(0x120000).bar(vfiowb.common.hw.PciBar.mem64(0, 32L << 40, true)).build();
            UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
                    () -> Options.onArch(huge, Arch.I386));
            assertTrue(e.getMessage().contains("'huge-bar' cannot exist on i386")
                    && e.getMessage().contains("44-bit"), e.getMessage());
            assertEquals(huge, Options.onArch(huge, Arch.X86_64));
        }

        @Test
        void everyDeviceMeansEveryDeviceThatCanExistOnTheArch() {
            Cli.Result r = Cli.run("fuzz", "--arch", "arm64-64k", "--stage", "5", "--seed", "3",
                    "--ops", "50", "--format", "json");
            assertTrue(r.code() == 0 || r.code() == 4, r.out() + r.err());
            for (DeviceSpec d : DeviceCatalogue.on(Arch.ARM64_64K)) {
                assertTrue(r.out().contains("\"" + d.name() + "\"") || !Hosts.binds(
                        Stages.byNumber(5), Arch.ARM64_64K, d), d.name());
            }
            assertTrue(r.out().contains("\"ism\"") && r.out().contains("\"cdx-dev\""), r.out());
        }
    }
}
