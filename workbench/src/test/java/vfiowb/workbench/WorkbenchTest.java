package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every command shares: help, version, exit codes, one-line errors, colour, completion. */
class WorkbenchTest {
    private static final String[] COMMANDS = {"stages", "uapi", "devices", "walk", "run", "conform",
        "rules", "serve", "series", "forward-port", "generate-completion"};

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
            "series", "forward-port"})
        void everyCommandHasHelpAndVersion(String command) {
            Cli.Result help = Cli.run(command, "--help");
            assertEquals(0, help.code());
            assertTrue(help.out().startsWith("Usage: vfio-workbench " + command), help.out());
            Cli.Result version = Cli.run(command, "--version");
            assertEquals(0, version.code());
            assertTrue(version.out().startsWith("vfio-workbench "), version.out());
        }

        @ParameterizedTest
        @ValueSource(strings = {"stages", "uapi", "devices", "walk", "run", "conform", "rules"})
        void jsonFieldNamesAreDocumentedInHelp(String command) {
            Cli.Result help = Cli.run(command, "--help");
            assertTrue(help.out().contains("JSON"), help.out());
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
            assertTrue(r.err().contains("no stage 99 (the stages are "), r.err());
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
