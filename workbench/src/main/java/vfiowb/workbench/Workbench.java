package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;

/**
 * {@code vfio-workbench}: the command line kernel reviewers use to walk through the series.
 * {@link #run} is the testable entry: it prints only through the given writers and returns the
 * exit code (0 success, 1 a check failed, 2 a usage or input error).
 */
@Command(name = "vfio-workbench", mixinStandardHelpOptions = true,
        versionProvider = Workbench.Version.class,
        description = "Prototype, check and explain the VFIO region-info / mmap-cookie series, "
                + "stage by stage.",
        subcommands = {Workbench.StagesCommand.class, Workbench.DevicesCommand.class,
            CommandLine.HelpCommand.class})
public final class Workbench implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line with {@code args}, printing to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Workbench());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof UserError) {
                line.getErr().println("vfio-workbench: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A mistake of the user's: one line on stderr, exit code 2, no stack trace. */
    public static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UserError(String message) {
            super(message, null, false, false);
        }
    }

    /** Version from the jar manifest, or the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Workbench.class.getPackage().getImplementationVersion();
            return new String[] {"vfio-workbench " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }

    /** {@code stages}: the stages on the classpath. */
    @Command(name = "stages", mixinStandardHelpOptions = true,
            description = "List the stages of the series that exist, with the patches each models.")
    static final class StagesCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            List<Stage> stages = Stages.all();
            if (stages.isEmpty()) {
                out.println("no stages on the classpath");
                return;
            }
            for (Stage s : stages) {
                out.printf("stage %d  %-26s %s%n", s.number(), s.module(), s.title());
                for (String subject : s.patchSubjects()) {
                    out.println("          " + subject);
                }
            }
        }
    }

    /** {@code devices}: the device catalogue. */
    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = "List the device catalogue: name, driver, ops table, description.")
    static final class DevicesCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-26s %-22s %-32s %s%n", "NAME", "DRIVER", "OPS TABLE", "DESCRIPTION");
            for (DeviceSpec d : DeviceCatalogue.all()) {
                out.printf("%-26s %-22s %-32s %s%n", d.name(), d.driver(), d.opsTable(),
                        d.description());
            }
        }
    }
}
