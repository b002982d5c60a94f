package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;

/** What every command shares: help, version, exit codes, one-line errors, colour, completion. */
class WorkbenchTest {
    private static final String[] COMMANDS = {"stages", "uapi", "devices", "walk", "run", "conform",
        "rules", "layout", "capacity", "report", "serve", "fuzz", "measure", "errnos", "series",
        "forward-port", "wc", "mutation-score",
        "generate-completion"};

    @Nested
    class HelpAndVersion {
        @Test
        void topLevelHelpListsEveryCommandAndTheExitCodes() {
            Cli.Result r = Cli.run("--help");
            assertEquals(0, r.code());
            for (String c : COMMANDS) {
                assertTrue(r.out().contains("  " + c + " ") || r.out().contains("  " + c + "\n"), c);
            }
            assertTrue(r.out().contains("1  a check failed"));
            assertTrue(r.out().contains("2  a usage or input error"));
            assertTrue(r.out().contains("NO_COLOR"));
            assertEquals("", r.err());
        }

        @ParameterizedTest
        @ValueSource(strings = {"stages", "uapi", "devices", "walk", "run", "conform", "rules", "serve",
            "fuzz", "measure", "errnos", "series", "forward-port", "layout", "capacity", "report", "wc",
            "mutation-score"})
        void everyCommandHasHelpAndVersion(String command) {
            Cli.Result help = Cli.run(command, "--help");
            assertEquals(0, help.code());
            assertTrue(help.out().startsWith("Usage: vfio-workbench " + command), help.out());
            Cli.Result version = Cli.run(command, "--version");
            assertEquals(0, version.code());
            assertTrue(version.out().startsWith("vfio-workbench "), version.out());
        }

        @ParameterizedTest
        @ValueSource(strings = {"stages", "uapi", "devices", "walk", "run", "conform", "rules", "fuzz",
            "layout", "capacity", "errnos", "mutation-score"})
        void jsonFieldNamesAreDocumentedInHelp(String command) {
            Cli.Result help = Cli.run(command, "--help");
            assertTrue(help.out().contains("JSON"), help.out());
        }
    }

    @Nested
    class Formats {
        /** Every command's --format option and the forms its mixin offers. */
        private Map<String, Options.FormatOption> formatOptions() {
            CommandLine cl = new CommandLine(new Workbench(new Style(false), System.in));
            Map<String, Options.FormatOption> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
                for (CommandLine.Model.CommandSpec mixin : e.getValue().getCommandSpec().mixins().values()) {
                    if (mixin.userObject() instanceof Options.FormatOption) {
                        out.put(e.getKey(), (Options.FormatOption) mixin.userObject());
                    }
                }
            }
            return out;
        }

        @Test
        void everyHelpSaysExactlyTheFormatsItTakesAndItsDefault() {
            Map<String, Options.FormatOption> options = formatOptions();
            assertEquals(Set.of("stages", "uapi", "devices", "walk", "run", "conform", "rules", "fuzz",
                    "layout", "capacity", "errnos", "wc", "mutation-score"), options.keySet());
            for (Map.Entry<String, Options.FormatOption> e : options.entrySet()) {
                String help = Cli.run(e.getKey(), "--help").out();
                int at = help.indexOf("--format=FORMAT");
                String desc = help.substring(at, help.indexOf("\n  -", at)).replaceAll("\\s+", " ");
                List<Format> offered = List.of(e.getValue().offered());
                for (Format f : Format.values()) {
                    String name = f.name().toLowerCase(java.util.Locale.ROOT);
                    assertEquals(offered.contains(f), desc.contains(name), e.getKey() + ": " + desc);
                }
                String dflt = offered.get(0).name().toLowerCase(java.util.Locale.ROOT);
                assertTrue(desc.contains(dflt + " (default"), e.getKey() + ": " + desc);
            }
        }

        @Test
        void aFormatNotOfferedIsRefusedByName() {
            Cli.Result r = Cli.run("run", "--format", "markdown", "x.vfio");
            assertEquals(2, r.code());
            assertEquals("vfio-workbench run: run has no --format markdown (it offers json, text)\n",
                    r.err());
        }

        @Test
        void stagesAndRulesInMarkdown() {
            Cli.Result s = Cli.run("stages", "--no-rules", "--format", "markdown");
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().startsWith("## Stages of the series\n\n| stage | module | title |"), s.out());
            for (Stage st : Stages.all()) {
                assertTrue(s.out().contains("| " + st.number() + " | `" + st.module() + "` |"), s.out());
            }
            for (SeriesPlan.Planned p : SeriesPlan.notWritten(Stages.all())) {
                assertTrue(s.out().contains("| " + p.number() + " | `" + p.module()
                        + "` | *not written yet*"), s.out());
            }
            Cli.Result r = Cli.run("rules", "--stage", "2", "--against", "1", "--format", "markdown");
            assertEquals(1, r.code(), "stage 2's rule fails on stage 1");
            assertTrue(r.out().startsWith("### Rules of stage 2 on the classes of stage 1 (`vfiowb.step1`)"),
                    r.out());
            assertTrue(r.out().contains("- **region-info-core-only** (stage 2): "), r.out());
            assertTrue(r.out().contains("  - `drivers."), r.out());
        }
    }

    @Nested
    class UsageErrors {
        @Test
        void unknownOptionIsOneLineAndExitTwo() {
            Cli.Result r = Cli.run("stages", "--frobnicate");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().startsWith("vfio-workbench stages: Unknown option: '--frobnicate'"), r.err());
            assertFalse(r.err().contains("Exception"));
            assertEquals("", r.out());
        }

        @Test
        void unknownCommandIsOneLineAndExitTwo() {
            Cli.Result r = Cli.run("frobnicate");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
        }

        @Test
        void unknownFormatIsOneLine() {
            Cli.Result r = Cli.run("uapi", "--format", "yaml");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().contains("unknown format 'yaml'"), r.err());
        }

        @Test
        void markdownOnlyWhereOffered() {
            Cli.Result r = Cli.run("uapi", "--format", "markdown");
            assertEquals(2, r.code());
            assertEquals("vfio-workbench uapi: uapi has no --format markdown (it offers text, json)\n",
                    r.err());
        }

        @ParameterizedTest
        @ValueSource(strings = {"walk", "devices", "rules", "serve"})
        void unknownStageIsOneLine(String command) {
            Cli.Result r = Cli.run(command, "--stage", "99");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().contains("no stage 99 (the series plans stages 1 to "
                    + SeriesPlan.all().size() + "; the stages written are "), r.err());
        }

        @Test
        void aPlannedStageNotWrittenYetIsNamedSo() {
            List<SeriesPlan.Planned> missing = SeriesPlan.notWritten(Stages.all());
            for (SeriesPlan.Planned p : missing) {
                Cli.Result r = Cli.run("walk", "--stage", String.valueOf(p.number()));
                assertEquals(2, r.code());
                assertTrue(r.oneErrorLine(), r.err());
                assertEquals("vfio-workbench walk: stage " + p.number() + " (" + p.module() + ": "
                        + p.plan() + ") is not written yet; the stages written are "
                        + Stages.all().stream().map(x -> String.valueOf(x.number()))
                                .collect(java.util.stream.Collectors.joining(", ")) + "\n", r.err());
                assertTrue(Cli.run("stages", "--no-rules").out().contains("stage " + p.number()
                        + "  " + p.module() + "  not written yet: " + p.plan() + "\n"));
            }
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                int next = ExtraStages.last() + 1;
                assertTrue(SeriesPlan.notWritten(Stages.all()).stream()
                        .noneMatch(p -> p.number() == next), "a stage on the class path is written");
            }
        }

        @Test
        void theReadmeNamesTheStagesNotWrittenYet() throws java.io.IOException {
            java.nio.file.Path readme = RunCommandTest.scenarios().resolveSibling("README.md");
            java.util.Set<String> said = new java.util.TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(step\\d-[a-z0-9-]+)`[^\n]*"
                    + "not written yet").matcher(java.nio.file.Files.readString(readme));
            while (m.find()) {
                said.add(m.group(1));
            }
            java.util.Set<String> missing = new java.util.TreeSet<>();
            SeriesPlan.notWritten(Stages.all()).forEach(p -> missing.add(p.module()));
            assertEquals(missing, said, "README.md's module table marks exactly the stages not "
                    + "written yet");
        }

        @Test
        void thePlanNamesTheRootPomsStageModules() throws java.io.IOException {
            String pom = java.nio.file.Files.readString(
                    RunCommandTest.scenarios().resolveSibling("pom.xml"));
            for (SeriesPlan.Planned p : SeriesPlan.all()) {
                assertTrue(pom.contains("<module>" + p.module() + "</module>"), p.module());
            }
            for (Stage s : Stages.all()) {
                assertEquals(SeriesPlan.all().get(s.number() - 1).module(), s.module());
            }
        }

        @Test
        void nonNumericStageIsOneLine() {
            Cli.Result r = Cli.run("walk", "--stage", "two");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("--stage takes a stage number"), r.err());
        }

        @ParameterizedTest
        @ValueSource(strings = {"walk", "devices", "conform", "serve"})
        void unknownDeviceIsOneLine(String command) {
            Cli.Result r = Cli.run(command, "--device", "no-such-nic");
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().contains("unknown device 'no-such-nic'"), r.err());
        }

        @Test
        void unknownArchIsOneLine() {
            Cli.Result r = Cli.run("walk", "--arch", "sparc");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("unknown arch 'sparc' (x86_64, i386, arm64, arm64-64k)"), r.err());
        }

        @Test
        void badSysfsDirectoryIsOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
                throws Exception {
            java.nio.file.Files.writeString(dir.resolve("resource"), "garbage\n");
            Cli.Result r = Cli.run("devices", "--sysfs", dir.toString());
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().startsWith("vfio-workbench devices: --sysfs " + dir + ": resource"), r.err());
            Cli.Result missing = Cli.run("devices", "--sysfs", dir.resolve("nope").toString());
            assertEquals(2, missing.code());
            assertTrue(missing.err().contains("not a directory"), missing.err());
        }

        @Test
        void allStagesRefusedWhereOneIsNeeded() {
            Cli.Result r = Cli.run("walk", "--stage", "all");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("--stage all is not available here"), r.err());
        }
    }

    @Nested
    class DefaultRun {
        @Test
        void withoutACommandWalksTheNicVfAtTheLastStage() {
            Cli.Result r = Cli.run();
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("walk: qemu client on nic-vf (vfio-pci, vfio_pci_ops) at stage "
                    + ExtraStages.last()), r.out());
        }
    }

    @Nested
    class Colour {
        @Test
        void plainWhenNotAskedFor() {
            Cli.Result r = Cli.run("rules");
            assertFalse(r.out().contains("\u001b["), r.out());
        }

        @Test
        void ansiWhenTheLauncherSeesATerminal() {
            java.io.StringWriter out = new java.io.StringWriter();
            int code = Workbench.run(new java.io.ByteArrayInputStream(new byte[0]),
                    new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()),
                    true, "rules");
            assertEquals(0, code);
            assertTrue(out.toString().contains("\u001b[32mPASS\u001b[0m"), out.toString());
        }

        @Test
        void noColorMeansNoColour() {
            assertTrue(Style.noColorRequested("1"));
            assertFalse(Style.noColorRequested(""));
            assertFalse(Style.noColorRequested(null));
        }
    }

    @Nested
    class Completion {
        @Test
        void generatesABashScriptNamingTheCommands() {
            Cli.Result r = Cli.run("generate-completion");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("complete -F"), r.out().substring(0, 200));
            for (String c : COMMANDS) {
                assertTrue(r.out().contains(c), c);
            }
            assertTrue(r.out().contains("nic-vf"), "device names complete");
            assertTrue(r.out().contains("arm64-64k"), "arch names complete");
        }
    }
}
